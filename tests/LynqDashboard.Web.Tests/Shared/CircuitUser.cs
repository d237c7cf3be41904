using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Shared;

/// <summary>Sets who is signed in for a service scope, as a circuit or a request does before any action runs.</summary>
public static class CircuitUser
{
    /// <param name="services">The scope's services.</param>
    /// <param name="email">The user name; null signs nobody in.</param>
    /// <param name="role">Their role.</param>
    public static void SignIn(IServiceProvider services, string? email, string? role)
    {
        var identity = email is null ? new ClaimsIdentity()
            : new ClaimsIdentity([new Claim(ClaimTypes.Name, email), .. role is null ? Array.Empty<Claim>() : [new Claim(ClaimTypes.Role, role)]], "test");
        ((IHostEnvironmentAuthenticationStateProvider)services.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(identity))));
    }
}

using Microsoft.AspNetCore.Components.Authorization;

namespace LynqDashboard.Web.Security;

/// <summary>Who is using this circuit, for promoted_by and the audit log; never a credential.</summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication)
{
    public const string Anonymous = "anonymous";

    public async Task<string> NameAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : Anonymous;
    }
}

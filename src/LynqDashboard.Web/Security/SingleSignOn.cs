using System.Security.Claims;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Registry;
using LynqDashboard.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;

namespace LynqDashboard.Web.Security;

/// <summary>
/// OpenID Connect sign-in: the provider's role or group claims map to one dashboard role (the highest match, or
/// the default), and the person is kept as a local account linked to the provider, so roles, locks, the audit
/// log and session checks work the same as for password accounts.
/// </summary>
public static class SingleSignOn
{
    /// <summary>The dashboard role for a person's provider claims; null when none maps and there is no default.</summary>
    public static string? MapRole(ClaimsPrincipal principal, OidcOptions options)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(options);
        var values = principal.FindAll(options.RoleClaim).SelectMany(c => c.Value.Split(' ', ',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var mapped = values.Select(v => options.RoleMap.TryGetValue(v, out var role) ? role : null).OfType<string>();
        return LynqRoles.Highest(mapped) ?? (LynqRoles.IsRole(options.DefaultRole) ? options.DefaultRole : null);
    }

    public static void Configure(OpenIdConnectOptions oidc, OidcOptions options)
    {
        ArgumentNullException.ThrowIfNull(oidc);
        ArgumentNullException.ThrowIfNull(options);
        oidc.Authority = options.Authority;
        oidc.ClientId = options.ClientId;
        oidc.ClientSecret = options.ClientSecret;
        oidc.ResponseType = "code";
        oidc.UsePkce = true;
        oidc.SaveTokens = false;
        oidc.MapInboundClaims = false;
        oidc.GetClaimsFromUserInfoEndpoint = true;
        oidc.SignInScheme = IdentityConstants.ExternalScheme;
        oidc.RequireHttpsMetadata = !new Uri(options.Authority!).IsLoopback;
        oidc.Scope.Add("email");
        oidc.Events.OnTicketReceived = context => SignInLocallyAsync(context, options);
        oidc.Events.OnRemoteFailure = context =>
        {
            // The person declined, the provider failed, or the answer did not validate: back to sign-in, in words.
            context.HandleResponse();
            context.Response.Redirect(AccountEndpoints.SignInWithError($"Single sign-on did not complete ({context.Failure?.Message ?? "no reason given"}). Try again or sign in with your password."));
            return Task.CompletedTask;
        };
    }

    internal static async Task SignInLocallyAsync(TicketReceivedContext context, OidcOptions options)
    {
        var services = context.HttpContext.RequestServices;
        var users = services.GetRequiredService<UserManager<LynqUser>>();
        var audit = services.GetRequiredService<IAuditLog>();
        var clock = services.GetRequiredService<TimeProvider>();
        var principal = context.Principal!;
        var subject = principal.FindFirstValue("sub") ?? principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var email = principal.FindFirstValue("email") ?? principal.FindFirstValue(ClaimTypes.Email);
        var role = MapRole(principal, options);
        context.HandleResponse();
        if (subject is null || email is null || role is null)
        {
            await audit.AppendAsync(new AuditEvent { At = clock.GetUtcNow(), Actor = email ?? subject ?? "unknown", Action = "signin.failed", Subject = email ?? "?", Detail = $"single sign-on: {(role is null ? "no role mapped" : "no e-mail or subject")}" });
            context.Response.Redirect(AccountEndpoints.SignInWithError("Your single sign-on account has no role in LynqDashboard. Ask an Admin to map your group."));
            return;
        }

        var user = await users.FindByLoginAsync(AccountEndpoints.OidcScheme, subject) ?? await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new LynqUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = clock.GetUtcNow() };
            await users.CreateAsync(user);
            await audit.AppendAsync(new AuditEvent { At = clock.GetUtcNow(), Actor = "system", Action = "user.created", Subject = email, Detail = $"single sign-on, role {role}" });
        }

        if ((await users.GetLoginsAsync(user)).All(l => l.LoginProvider != AccountEndpoints.OidcScheme))
        {
            await users.AddLoginAsync(user, new UserLoginInfo(AccountEndpoints.OidcScheme, subject, options.DisplayName));
        }

        var current = await users.GetRolesAsync(user);
        if (!current.SequenceEqual([role]))
        {
            await users.RemoveFromRolesAsync(user, current);
            await users.AddToRoleAsync(user, role);
        }

        var signIn = services.GetRequiredService<SignInManager<LynqUser>>();
        if (await users.IsLockedOutAsync(user))
        {
            context.Response.Redirect(AccountEndpoints.SignInWithError("This account is locked; ask an Admin."));
            return;
        }

        await signIn.SignInAsync(user, isPersistent: false, AccountEndpoints.OidcScheme);
        await audit.AppendAsync(new AuditEvent { At = clock.GetUtcNow(), Actor = email, Action = "signin.succeeded", Subject = email, Detail = $"single sign-on, role {role}" });
        context.Response.Redirect(LocalUrl.OrHome(context.ReturnUri));
    }
}

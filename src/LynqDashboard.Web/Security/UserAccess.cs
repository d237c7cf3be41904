using LynqDashboard.Core;
using System.Security.Claims;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Registry;
using Microsoft.AspNetCore.Components.Authorization;

namespace LynqDashboard.Web.Security;

/// <summary>Who is signed in on this circuit and what their role allows.</summary>
/// <param name="Name">The user name (e-mail), or "anonymous".</param>
/// <param name="Role">Their role; null when they have none.</param>
public sealed record Access(string Name, string? Role)
{
    public bool Has(string role) => LynqRoles.Includes(Role, role);

    public static Access From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
            ? new Access(name, LynqRoles.Highest(user.FindAll(ClaimTypes.Role).Select(c => c.Value)))
            : new Access(UserAccess.Anonymous, null);
    }
}

/// <summary>
/// The server-side check behind every action: the role is read from the circuit's authentication state at the
/// moment of the call, so a button forced on in the browser changes nothing. Refusals go to the audit log.
/// </summary>
public sealed class UserAccess(AuthenticationStateProvider authentication, IAuditLog audit, TimeProvider clock)
{
    public const string Anonymous = "anonymous";

    public async Task<Access> GetAsync() => Access.From((await authentication.GetAuthenticationStateAsync()).User);

    /// <summary>The caller's name when their role includes <paramref name="role"/>; otherwise refuses and records it.</summary>
    /// <param name="role">The lowest role allowed.</param>
    /// <param name="action">What they tried, for the message and the audit log ("start a training").</param>
    public async Task<string> RequireAsync(string role, string action)
    {
        var access = await GetAsync();
        if (access.Has(role))
        {
            return access.Name;
        }

        await audit.AppendAsync(new AuditEvent
        {
            At = clock.GetUtcNow(), Actor = access.Name, Action = "access.denied", Subject = action,
            Detail = $"role {access.Role ?? "none"}; needs {role}",
        });
        throw LynqException.Forbidden(access.Role is null
            ? $"Sign in to {action}."
            : $"Your role ({access.Role}) may not {action}; it needs the {role} role. Ask an Admin.");
    }
}

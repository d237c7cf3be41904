using System.Security.Claims;
using LynqDashboard.Core.Access;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Security;

/// <summary>
/// Server-side sessions behind the sign-in cookie. Each sign-in makes a session in the registry and puts its id in
/// the cookie; every request and every open tab's re-check asks whether that session is still active, so signing
/// out (or an Admin's lock or reset) ends it at once in every web process, and a copy of the cookie made before
/// stops working. The session slides with use like the cookie (Lynq:Auth:SessionHours), and an open tab ends
/// when it runs out even though the circuit sends no HTTP request that could refresh the cookie.
/// </summary>
public sealed class SignInSessions(IUserSessionStore store, TimeProvider clock, IOptions<AuthOptions> auth, IOptions<IdentityOptions> identity)
{
    /// <summary>The claim that carries the session id.</summary>
    public const string Claim = "lynq:sid";

    // Recording every use would be a write per request; a minute's precision is plenty for hours-long sessions.
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan KeepEndedFor = TimeSpan.FromDays(1);

    private TimeSpan Lifetime => TimeSpan.FromHours(auth.Value.SessionHours);

    /// <summary>The session id a principal carries; null for none (or a cookie from before sessions were kept).</summary>
    public static Guid? IdOf(ClaimsPrincipal? principal) =>
        Guid.TryParseExact(principal?.FindFirstValue(Claim), "N", out var id) ? id : null;

    /// <summary>Starts a session for a principal being signed in and puts its id in the principal.</summary>
    public async Task StartAsync(CookieSigningInContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Principal?.Identity is not ClaimsIdentity signingIn || signingIn.FindFirst(identity.Value.ClaimsIdentity.UserIdClaimType)?.Value is not { } userId)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var cancel = context.HttpContext.RequestAborted;

        // A sign-in over a live session (a password change re-issues the cookie) replaces it: the old cookie dies with it.
        if (IdOf(context.HttpContext.User) is { } previous)
        {
            await store.EndAsync(previous, now, "replaced", cancel);
        }

        foreach (var stale in signingIn.FindAll(Claim).ToList())
        {
            signingIn.RemoveClaim(stale);
        }

        var session = new UserSession { UserId = userId, CreatedAt = now, LastSeenAt = now, ExpiresAt = now + Lifetime };
        await store.AddAsync(session, cancel);
        signingIn.AddClaim(new Claim(Claim, session.Id.ToString("N")));
        await store.DeleteOverAsync(now - KeepEndedFor, cancel);
    }

    /// <summary>For the cookie check on each request: true while the session is active; records the use.</summary>
    public async Task<bool> ValidateAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var (active, session, now) = await ReadAsync(principal, cancellationToken);
        if (active && now - session!.LastSeenAt >= TouchEvery)
        {
            await store.TouchAsync(session.Id, now, now + Lifetime, cancellationToken);
        }

        return active;
    }

    /// <summary>For an open tab's re-check: true while the session is active (a circuit's activity does not extend it).</summary>
    public async Task<bool> IsActiveAsync(ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        (await ReadAsync(principal, cancellationToken)).Active;

    /// <summary>Ends the principal's session (sign-out); nothing happens for a principal without one.</summary>
    public async Task EndAsync(ClaimsPrincipal principal, string reason, CancellationToken cancellationToken)
    {
        if (IdOf(principal) is { } id)
        {
            await store.EndAsync(id, clock.GetUtcNow(), reason, cancellationToken);
        }
    }

    /// <summary>Ends every session of an account (locked, password reset or changed); returns how many.</summary>
    public Task<int> EndAllAsync(string userId, string reason, CancellationToken cancellationToken) =>
        store.EndAllAsync(userId, clock.GetUtcNow(), reason, cancellationToken);

    private async Task<(bool Active, UserSession? Session, DateTimeOffset Now)> ReadAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var now = clock.GetUtcNow();
        if (IdOf(principal) is not { } id || await store.FindAsync(id, cancellationToken) is not { } session)
        {
            return (false, null, now);
        }

        var sameUser = session.UserId == principal.FindFirstValue(identity.Value.ClaimsIdentity.UserIdClaimType);
        return (sameUser && session.IsActiveAt(now), session, now);
    }
}

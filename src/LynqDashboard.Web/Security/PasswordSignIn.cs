using LynqDashboard.Core.Registry;
using LynqDashboard.Infrastructure.Identity;
using LynqDashboard.Web.Observability;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Security;

public enum SignInVerdict
{
    SignedIn,

    /// <summary>Wrong e-mail or password (the two are never told apart).</summary>
    Wrong,

    /// <summary>The account is locked, or looks so: a made-up e-mail locks after as many failures as a real one.</summary>
    LockedOut,

    NotAllowed,

    /// <summary>Too many failures from this address: nothing was looked up or hashed.</summary>
    AddressThrottled,
}

/// <param name="Verdict">What happened.</param>
/// <param name="RetryAfter">For <see cref="SignInVerdict.AddressThrottled"/>: how long the address must wait.</param>
public sealed record SignInOutcome(SignInVerdict Verdict, TimeSpan RetryAfter = default);

/// <summary>
/// Password sign-in with throttling in front of Identity. In order: the client address's failure count (429 before any
/// lookup); then the account: a real one goes through Identity's lockout (in the database, so every process sees
/// it), a made-up one gets the same lock from <see cref="SignInThrottle"/> and a password hash against a dummy, so
/// the answer and its timing do not tell whether the account exists. A browser that signed in to the account
/// before (<see cref="TrustedBrowsers"/>) gets past a lock that failures set off (never past an Admin's lock).
/// Every attempt is audited, without the password.
/// </summary>
public sealed class PasswordSignIn(
    SignInManager<LynqUser> signIn,
    SignInThrottle throttle,
    TrustedBrowsers browsers,
    IPasswordHasher<LynqUser> hasher,
    ILookupNormalizer normalizer,
    IAuditLog audit,
    LynqMetrics metrics,
    TimeProvider clock,
    IOptions<AuthOptions> options)
{
    private static readonly LynqUser Nobody = new();
    private static string? _dummyHash;

    public async Task<SignInOutcome> AttemptAsync(HttpContext context, string email, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = ClientAddress.Of(context);
        if (throttle.Addresses.BlockedFor(address) is { } wait)
        {
            // Not audited one by one: a flood would fill the append-only log. The block itself was.
            metrics.Throttled("sign_in_address");
            return new SignInOutcome(SignInVerdict.AddressThrottled, wait);
        }

        var user = await signIn.UserManager.FindByNameAsync(email);
        var (verdict, detail) = user is null ? Unknown(email, password) : await KnownAsync(context, user, password);
        await AuditAsync(context, email, verdict, detail, cancellationToken);
        if (verdict == SignInVerdict.LockedOut)
        {
            metrics.Throttled("sign_in_account");
        }

        if (verdict is SignInVerdict.Wrong or SignInVerdict.LockedOut && throttle.Addresses.RecordFailure(address) is { } blocked)
        {
            await AuditAsync(context, email, SignInVerdict.AddressThrottled, $"{throttle.Addresses.Limit} failed sign-ins from this address; it waits {blocked.TotalMinutes:N0} min", cancellationToken);
            return new SignInOutcome(SignInVerdict.AddressThrottled, blocked);
        }

        return new SignInOutcome(verdict);
    }

    private (SignInVerdict, string) Unknown(string email, string password)
    {
        var key = normalizer.NormalizeName(email);
        if (throttle.UnknownAccounts.BlockedFor(key) is not null)
        {
            return (SignInVerdict.LockedOut, "no such account; locked like one after repeated failures");
        }

        hasher.VerifyHashedPassword(Nobody, DummyHash(), password);
        return throttle.UnknownAccounts.RecordFailure(key) is null
            ? (SignInVerdict.Wrong, "no such account")
            : (SignInVerdict.LockedOut, "no such account; locked like one after repeated failures");
    }

    private async Task<(SignInVerdict, string)> KnownAsync(HttpContext context, LynqUser user, string password)
    {
        var token = browsers.TokenFor(context, user.Id);
        var trusted = token is not null && throttle.TrustedBrowsers.BlockedFor(token) is null;
        if (trusted && await signIn.UserManager.IsLockedOutAsync(user) && !IsAdminLock(user))
        {
            // The person's own browser: the lock others' wrong passwords set off stays for them, not for it.
            if (await signIn.CanSignInAsync(user) && await signIn.UserManager.CheckPasswordAsync(user, password))
            {
                await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: "pwd");
                browsers.Remember(context, user.Id);
                return (SignInVerdict.SignedIn, "password, from a trusted browser past a lock set off by failed sign-ins");
            }

            throttle.TrustedBrowsers.RecordFailure(token!);
            return (SignInVerdict.Wrong, "wrong password from a trusted browser while locked");
        }

        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            browsers.Remember(context, user.Id);
            return (SignInVerdict.SignedIn, "password");
        }

        if (token is not null && !result.IsLockedOut)
        {
            throttle.TrustedBrowsers.RecordFailure(token);
        }

        return result switch
        {
            { IsLockedOut: true } => (SignInVerdict.LockedOut, "account locked after repeated failures"),
            { IsNotAllowed: true } => (SignInVerdict.NotAllowed, "not allowed"),
            _ => (SignInVerdict.Wrong, "wrong e-mail or password"),
        };
    }

    // A failure lock ends at most LockoutMinutes from now; an Admin's lock (AdminActions.LockAsync) lasts for ever.
    private bool IsAdminLock(LynqUser user) =>
        user.LockoutEnd is { } end && end > clock.GetUtcNow() + TimeSpan.FromMinutes(options.Value.LockoutMinutes + 1);

    // Hashed once per process with the same hasher (and so the same cost) as real passwords.
    private string DummyHash() => _dummyHash ??= hasher.HashPassword(Nobody, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18)));

    private Task AuditAsync(HttpContext context, string email, SignInVerdict verdict, string detail, CancellationToken cancellationToken)
    {
        var action = verdict switch
        {
            SignInVerdict.SignedIn => "signin.succeeded",
            SignInVerdict.LockedOut => "signin.locked_out",
            SignInVerdict.AddressThrottled => "signin.throttled",
            _ => "signin.failed",
        };
        return audit.AppendAsync(new AuditEvent { At = clock.GetUtcNow(), Actor = email, Action = action, Subject = email, Detail = $"{detail}; from {context.Connection.RemoteIpAddress}" }, cancellationToken);
    }
}

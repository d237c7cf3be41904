using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Security;

/// <summary>
/// The in-memory counts behind password sign-in (one set per process):
/// <list type="bullet">
/// <item>per client address: Lynq:Auth:SignInFailuresPerAddress failures within SignInWindowMinutes make the address
/// wait that long, checked before any account lookup or password hash;</item>
/// <item>per unknown account: the same lock a real account gets from Identity (MaxFailedAttempts → LockoutMinutes),
/// so failing on a made-up e-mail looks exactly like failing on a real one;</item>
/// <item>per trusted browser: MaxFailedAttempts wrong passwords within LockoutMinutes and it is trusted no more.</item>
/// </list>
/// </summary>
public sealed class SignInThrottle
{
    // Identity's failure count for a real account does not expire until a success or a lock; a day is close enough.
    private static readonly TimeSpan UnknownAccountWindow = TimeSpan.FromDays(1);

    public SignInThrottle(IOptions<AuthOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        var auth = options.Value;
        var window = TimeSpan.FromMinutes(auth.SignInWindowMinutes);
        var lockout = TimeSpan.FromMinutes(auth.LockoutMinutes);
        Addresses = new FailureWindow(auth.SignInFailuresPerAddress, window, window, clock);
        UnknownAccounts = new FailureWindow(auth.MaxFailedAttempts, UnknownAccountWindow, lockout, clock);
        TrustedBrowsers = new FailureWindow(auth.MaxFailedAttempts, lockout, lockout, clock);
    }

    /// <summary>Failed sign-ins per client address (<see cref="ClientAddress"/>).</summary>
    public FailureWindow Addresses { get; }

    /// <summary>Failed sign-ins per normalized e-mail that has no account.</summary>
    public FailureWindow UnknownAccounts { get; }

    /// <summary>Wrong passwords per trusted-browser token.</summary>
    public FailureWindow TrustedBrowsers { get; }
}

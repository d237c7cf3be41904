using System.Net.Mail;
using LynqDashboard.Core.Access;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Security;

/// <summary>The "Lynq:Auth" section: the first Admin, passwords, lockout, sessions and optional OpenID Connect.</summary>
public sealed class AuthOptions
{
    public const string Section = "Lynq:Auth";

    /// <summary>The first Admin's e-mail (LYNQ_ADMIN_EMAIL); used once, when the database has no user.</summary>
    public string? AdminEmail { get; set; }

    /// <summary>The first Admin's password (LYNQ_ADMIN_PASSWORD). Without it a one-time password is printed once to the console.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Hours a sign-in lasts without use (sliding; default 8).</summary>
    public int SessionHours { get; set; } = 8;

    /// <summary>Failed passwords in a row before the account locks (default 5).</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a locked account stays locked (default 15 minutes).</summary>
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Failed sign-ins from one client address (an IPv6 /64) before that address must wait (default 20).</summary>
    public int SignInFailuresPerAddress { get; set; } = 20;

    /// <summary>The window those failures are counted in, and how long the address then waits (default 15 minutes).</summary>
    public int SignInWindowMinutes { get; set; } = 15;

    /// <summary>
    /// Days a browser that signed in to an account stays trusted for it (default 30; 0 turns it off): a lock that
    /// other people's wrong passwords set off does not keep that browser out.
    /// </summary>
    public int TrustedBrowserDays { get; set; } = 30;

    /// <summary>Seconds between re-checks of an open tab and of the cookie's account (lock, role, password; default 60).</summary>
    public int RevalidateSeconds { get; set; } = 60;

    /// <summary>Shortest password accepted (default 12; upper- and lower-case letters and a digit are required too).</summary>
    public int MinPasswordLength { get; set; } = 12;

    /// <summary>Optional single sign-on.</summary>
    public OidcOptions Oidc { get; set; } = new();
}

/// <summary>OpenID Connect sign-in for teams with SSO; off until Authority and ClientId are set.</summary>
public sealed class OidcOptions
{
    /// <summary>The identity provider (e.g. https://login.example.com/realms/lynq).</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>The client secret (LYNQ_OIDC_CLIENT_SECRET); never shown.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The claim that carries the provider's roles or groups (default "roles").</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Provider role or group → dashboard role (Viewer, Trainer, Approver, Admin); the highest match wins.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = [];

    /// <summary>The role of a person whose claims map to none; empty refuses them.</summary>
    public string DefaultRole { get; set; } = string.Empty;

    /// <summary>The button's text on the sign-in page (default "single sign-on").</summary>
    public string DisplayName { get; set; } = "single sign-on";

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}

/// <summary>Start-up validation of the auth section; each message names the key to fix, never a secret's value.</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var s = AuthOptions.Section;
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.AdminEmail) && !MailAddress.TryCreate(options.AdminEmail, out _))
        {
            failures.Add($"LYNQ_ADMIN_EMAIL (or {s}:AdminEmail) '{options.AdminEmail}' is not an e-mail address.");
        }

        if (string.IsNullOrWhiteSpace(options.AdminEmail) != string.IsNullOrWhiteSpace(options.AdminPassword))
        {
            failures.Add($"Set both LYNQ_ADMIN_EMAIL and LYNQ_ADMIN_PASSWORD (or {s}:AdminEmail and {s}:AdminPassword), or neither.");
        }

        Range(failures, $"{s}:SessionHours", options.SessionHours, 1, 720);
        Range(failures, $"{s}:MaxFailedAttempts", options.MaxFailedAttempts, 3, 20);
        Range(failures, $"{s}:LockoutMinutes", options.LockoutMinutes, 1, 1_440);
        Range(failures, $"{s}:MinPasswordLength", options.MinPasswordLength, 8, 128);
        Range(failures, $"{s}:SignInFailuresPerAddress", options.SignInFailuresPerAddress, 3, 10_000);
        Range(failures, $"{s}:SignInWindowMinutes", options.SignInWindowMinutes, 1, 1_440);
        Range(failures, $"{s}:TrustedBrowserDays", options.TrustedBrowserDays, 0, 365);
        Range(failures, $"{s}:RevalidateSeconds", options.RevalidateSeconds, 1, 3_600);
        if (!string.IsNullOrWhiteSpace(options.AdminPassword) && options.AdminPassword.Length < options.MinPasswordLength)
        {
            failures.Add($"LYNQ_ADMIN_PASSWORD (or {s}:AdminPassword) is shorter than {s}:MinPasswordLength ({options.MinPasswordLength}).");
        }

        var oidc = options.Oidc;
        if (!string.IsNullOrWhiteSpace(oidc.Authority) || !string.IsNullOrWhiteSpace(oidc.ClientId))
        {
            if (!Uri.TryCreate(oidc.Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttps && !authority.IsLoopback))
            {
                failures.Add($"{s}:Oidc:Authority must be an https URL (got '{oidc.Authority}').");
            }

            if (string.IsNullOrWhiteSpace(oidc.ClientId))
            {
                failures.Add($"{s}:Oidc:ClientId is required when {s}:Oidc:Authority is set.");
            }

            failures.AddRange(oidc.RoleMap.Where(m => !LynqRoles.IsRole(m.Value)).Select(m => $"{s}:Oidc:RoleMap:{m.Key} is '{m.Value}'; use one of {string.Join(", ", LynqRoles.All)}."));
            if (oidc.DefaultRole.Length > 0 && !LynqRoles.IsRole(oidc.DefaultRole))
            {
                failures.Add($"{s}:Oidc:DefaultRole is '{oidc.DefaultRole}'; use one of {string.Join(", ", LynqRoles.All)}, or leave it empty to refuse unmapped people.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{key} must be between {min:N0} and {max:N0} (got {value:N0}).");
        }
    }
}

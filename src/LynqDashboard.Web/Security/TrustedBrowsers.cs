using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Security;

/// <summary>
/// A browser that signed in to an account carries a cookie saying so (protected with the app's keys, valid for
/// Lynq:Auth:TrustedBrowserDays). A lock that wrong passwords set off keeps out everyone else, but not that browser
/// with the right password, so a stranger cannot keep a person out of their account by failing on purpose.
/// Each such cookie has its own budget of wrong passwords, after which it counts as any other browser.
/// </summary>
public sealed class TrustedBrowsers
{
    public const string CookieName = "lynq.device";

    private const string CookiePath = "/account";

    private readonly ITimeLimitedDataProtector _protector;
    private readonly IOptions<AuthOptions> _options;

    public TrustedBrowsers(IDataProtectionProvider protection, IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(protection);
        _protector = protection.CreateProtector("LynqDashboard.TrustedBrowser.v1").ToTimeLimitedDataProtector();
        _options = options;
    }

    /// <summary>The token this browser holds for <paramref name="userId"/>; null when it holds none (or one for someone else).</summary>
    public string? TokenFor(HttpContext context, string userId)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_options.Value.TrustedBrowserDays == 0 || !context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            var parts = _protector.Unprotect(value).Split('|');
            return parts.Length == 2 && parts[0] == userId ? parts[1] : null;
        }
        catch (CryptographicException)
        {
            return null; // expired, from other keys, or made up
        }
    }

    /// <summary>Marks this browser as one <paramref name="userId"/> signs in with (after a successful sign-in).</summary>
    public void Remember(HttpContext context, string userId)
    {
        ArgumentNullException.ThrowIfNull(context);
        var days = _options.Value.TrustedBrowserDays;
        if (days == 0)
        {
            return;
        }

        var lifetime = TimeSpan.FromDays(days);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        context.Response.Cookies.Append(CookieName, _protector.Protect($"{userId}|{token}", lifetime), new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = CookiePath,
            MaxAge = lifetime,
            IsEssential = true,
        });
    }
}

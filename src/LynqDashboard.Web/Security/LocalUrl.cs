namespace LynqDashboard.Web.Security;

/// <summary>
/// The one decision on where a returnUrl may send someone: a path on this site. Browsers read "\" as "/", drop
/// tabs and line breaks, and some proxies decode "%5C" and "%2F" before routing, so "/\evil.example",
/// "/%5Cevil.example" and "/\t/evil.example" would all leave the site; each of those is refused, as are absolute
/// URLs, scheme-relative "//host" and anything with control characters.
/// </summary>
public static class LocalUrl
{
    /// <summary>Where to go after signing in when the returnUrl is missing or not local.</summary>
    public const string Home = "/";

    /// <summary>True when <paramref name="url"/> is a path on this site, under every reading a browser or proxy may give it.</summary>
    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 2_048)
        {
            return false;
        }

        // Up to two rounds of percent-decoding: "%255C" becomes "%5C" at a lenient proxy, then "\".
        var reading = url;
        for (var round = 0; round < 3; round++)
        {
            if (!IsPlainLocalPath(reading))
            {
                return false;
            }

            var decoded = Uri.UnescapeDataString(reading);
            if (decoded == reading)
            {
                return true;
            }

            reading = decoded;
        }

        return IsPlainLocalPath(reading);
    }

    /// <summary><paramref name="url"/> when it is local, otherwise <see cref="Home"/>.</summary>
    public static string OrHome(string? url) => IsLocal(url) ? url! : Home;

    private static bool IsPlainLocalPath(string url)
    {
        if (url.Length == 0 || url[0] != '/')
        {
            return false;
        }

        foreach (var c in url)
        {
            // "\" is "/" to a browser; control characters (and the Unicode line and paragraph separators) are dropped
            // or mis-split by browsers, so "/\t/evil" would become "//evil".
            if (c == '\\' || char.IsControl(c) || c is '\u2028' or '\u2029')
            {
                return false;
            }
        }

        return url.Length == 1 || url[1] != '/';
    }
}

using System.Net;
using System.Text.RegularExpressions;

namespace LynqDashboard.Tests.Shared;

/// <summary>Signs a client in through the real sign-in form (anti-forgery token included), as a browser would.</summary>
public static partial class FormSignIn
{
    /// <summary>Posts the sign-in form; returns the response (a redirect on success, the form with a message on failure).</summary>
    /// <param name="client">A client that keeps cookies and does not follow redirects.</param>
    /// <param name="email">The account.</param>
    /// <param name="password">Its password.</param>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(client);
        var form = await client.GetStringAsync("/account/login");
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = Token(form),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>Signs in and fails loudly unless the app redirected away from the form.</summary>
    public static async Task SignInAsync(HttpClient client, string email, string password)
    {
        using var response = await PostAsync(client, email, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in as {email} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The anti-forgery token of a rendered form.</summary>
    public static string Token(string html) =>
        TokenField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("The page holds no anti-forgery token.");

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}

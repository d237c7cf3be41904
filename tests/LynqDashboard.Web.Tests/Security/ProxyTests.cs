using System.Net;
using LynqDashboard.Core.Registry;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Web.Scoring;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Security;

/// <summary>
/// Behind a TLS-terminating proxy: X-Forwarded-For and X-Forwarded-Proto count only from the configured proxy
/// (127.0.0.2 here); the same headers from any other address (127.0.0.3) change nothing.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ProxyTests
{
    private const string Key = "proxy-test-key-0123456789";
    private const string Host = "dashboard.lynq.example";

    [Fact]
    public async Task TrustedProxy_SaysHttps_CookiesAreSecure_HstsIsSent_AndTheClientIsTheForwardedOne()
    {
        await using var app = Start();
        using var proxy = app.Client("127.0.0.2", cookies: false);

        var (cookies, hsts) = await SignInAsync(proxy, forwardedFor: "203.0.113.7");

        Assert.Contains("secure", cookies["lynq.auth"], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookies[Trusted], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookies.Single(c => c.Key.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal)).Value, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(hsts);
        var audit = await app.Services.GetRequiredService<IAuditLog>().ListAsync(0, 20);
        Assert.Contains(audit, a => a.Action == "signin.succeeded" && a.Detail.EndsWith("from 203.0.113.7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UntrustedSender_SendingTheSameHeaders_ChangesNothing()
    {
        await using var app = Start();
        using var stranger = app.Client("127.0.0.3", cookies: false);

        var (cookies, hsts) = await SignInAsync(stranger, forwardedFor: "203.0.113.7");

        Assert.DoesNotContain("secure", cookies["lynq.auth"], StringComparison.OrdinalIgnoreCase);
        Assert.Null(hsts);
        var audit = await app.Services.GetRequiredService<IAuditLog>().ListAsync(0, 20);
        Assert.Contains(audit, a => a.Action == "signin.succeeded" && a.Detail.EndsWith("from 127.0.0.3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongKeys_AreCountedPerForwardedClient_ButAForgedHeaderEscapesNothing()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var app = Start();
        using var proxy = app.Client("127.0.0.2");
        using var stranger = app.Client("127.0.0.3");

        // Through the proxy: one client guessing does not block another client behind the same proxy.
        Assert.Equal(new[] { 401, 401, 401, 429 }, await StatusesAsync(proxy, Enumerable.Repeat("203.0.113.7", 4), cancel));
        Assert.Equal(HttpStatusCode.OK, (await InfoAsync(proxy, Key, "203.0.113.8", cancel)).StatusCode);

        // From anyone else a fresh X-Forwarded-For per request changes nothing: the connection's address is counted.
        Assert.Equal(new[] { 401, 401, 401, 429 }, await StatusesAsync(stranger, Enumerable.Range(1, 4).Select(i => $"198.51.100.{i}"), cancel));
    }

    private static string Trusted => Web.Security.TrustedBrowsers.CookieName;

    private static KestrelApp Start() => KestrelApp.Start(new DashboardFactory
    {
        Settings =
        {
            ["environment"] = "Production", ["Lynq:Proxy:KnownProxies:0"] = "127.0.0.2",
            ["Lynq:Scoring:ApiKeys:0"] = Key, ["Lynq:Scoring:FailedKeyLimit"] = "3",
        },
    });

    // Signs in through the form by hand (cookies kept here, since Secure ones would not come back over plain http).
    private static async Task<(Dictionary<string, string> Cookies, string? Hsts)> SignInAsync(HttpClient client, string forwardedFor)
    {
        var cookies = new Dictionary<string, string>();
        using var get = Forwarded(HttpMethod.Get, "/account/login", forwardedFor, cookies);
        using var form = await client.SendAsync(get);
        Keep(form, cookies);
        var hsts = form.Headers.TryGetValues("Strict-Transport-Security", out var values) ? values.Single() : null;
        using var post = Forwarded(HttpMethod.Post, "/account/login", forwardedFor, cookies);
        post.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = FormSignIn.Token(await form.Content.ReadAsStringAsync()),
            ["Input.Email"] = DashboardFactory.AdminEmail, ["Input.Password"] = DashboardFactory.Password,
        });
        using var signedIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Keep(signedIn, cookies);
        return (cookies, hsts);
    }

    private static HttpRequestMessage Forwarded(HttpMethod method, string path, string forwardedFor, Dictionary<string, string>? cookies = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Host = Host;
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        request.Headers.Add("X-Forwarded-Proto", "https");
        if (cookies is { Count: > 0 })
        {
            request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Key + "=" + c.Value.Split(';')[0])));
        }

        return request;
    }

    // Each Set-Cookie by name: "value; attributes".
    private static void Keep(HttpResponseMessage response, Dictionary<string, string> cookies)
    {
        foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            var equals = header.IndexOf('=', StringComparison.Ordinal);
            cookies[header[..equals]] = header[(equals + 1)..];
        }
    }

    private static async Task<int[]> StatusesAsync(HttpClient client, IEnumerable<string> forwardedFor, CancellationToken cancel)
    {
        var statuses = new List<int>();
        foreach (var forwarded in forwardedFor)
        {
            using var response = await InfoAsync(client, ApiKeyRing.NewKey(), forwarded, cancel);
            statuses.Add((int)response.StatusCode);
        }

        return [.. statuses];
    }

    private static Task<HttpResponseMessage> InfoAsync(HttpClient client, string key, string forwardedFor, CancellationToken cancel)
    {
        var request = Forwarded(HttpMethod.Get, "/model/info", forwardedFor);
        request.Headers.Add(ApiKeyRing.Header, key);
        return client.SendAsync(request, cancel);
    }
}

using System.Net;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Web.Tests.ScaleOut;
using LynqDashboard.Web.Tests.Shared;

namespace LynqDashboard.Web.Tests.Security;

/// <summary>Two web processes on one PostgreSQL registry (as behind a load balancer): a sign-out on one counts on the other.</summary>
[Collection(AppHostCollection.Name)]
public sealed class SharedSessionTests(ScaleOutServers servers, ITestOutputHelper output) : IClassFixture<ScaleOutServers>
{
    private const string AdminEmail = "admin@lynq.test";
    private const string AdminPassword = "Shared-Session-Password-2026";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "lynq-shared-sessions", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task SignOutOnOneWebProcess_RefusesTheSameCookieOnTheOther_AtTheNextRequest()
    {
        var cancel = TestContext.Current.CancellationToken;
        var settings = await SharedStateAsync();
        await using var first = await BuiltWebApp.StartAsync(Path.Combine(_root, "web-1"), settings, timeout: TimeSpan.FromSeconds(90));
        await using var second = await BuiltWebApp.StartAsync(Path.Combine(_root, "web-2"), settings, timeout: TimeSpan.FromSeconds(90));
        output.WriteLine($"web processes ready in {first.StartupSeconds:0.0} s and {second.StartupSeconds:0.0} s");

        var jar = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = new Uri(first.BaseUrl) };
        await FormSignIn.SignInAsync(browser, AdminEmail, AdminPassword);
        var cookie = jar.GetCookies(new Uri(first.BaseUrl))["lynq.auth"]!.Value;

        // The balancer sends the same browser's next request to the other process: it is signed in there too.
        using var elsewhere = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(second.BaseUrl) };
        elsewhere.DefaultRequestHeaders.Add("Cookie", $"lynq.auth={cookie}");
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/api/dashboard/versions", cancel)).StatusCode);

        var page = await browser.GetStringAsync("/models", cancel);
        using var signOut = await browser.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = FormSignIn.Token(page) }), cancel);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await elsewhere.GetAsync("/api/dashboard/versions", cancel)).StatusCode);
        using var pageElsewhere = await elsewhere.GetAsync("/models", cancel);
        Assert.StartsWith("/account/login", pageElsewhere.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, string>> SharedStateAsync()
    {
        var database = await servers.Postgres.CreateDatabaseAsync();
        var bucket = $"sessions-{Guid.NewGuid():N}"[..24];
        using (var s3 = servers.S3.CreateClient())
        {
            await s3.PutBucketAsync(bucket);
        }

        return new Dictionary<string, string>
        {
            ["LYNQ_ROLE"] = "Web", ["LYNQ_STORAGE"] = "PostgreSQL", ["LYNQ_DB"] = database, ["LYNQ_ARTIFACT_BUCKET"] = bucket,
            ["Lynq__Promotion__ServiceUrl"] = servers.S3.ServiceUrl, ["Lynq__Promotion__ForcePathStyle"] = "true",
            ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test", ["AWS_REGION"] = "us-east-1",
            ["LYNQ_ADMIN_EMAIL"] = AdminEmail, ["LYNQ_ADMIN_PASSWORD"] = AdminPassword,
        };
    }
}

using System.Net;
using System.Text.Json;
using LynqDashboard.Web.Scoring;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Security;

/// <summary>Guessing API keys: after a small burst of wrong keys an address gets 429, over real HTTP from real client addresses.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ApiKeyThrottleTests
{
    private const string Key = "throttle-test-key-0123456789";

    [Fact]
    public async Task ThreeHundredWrongKeys_FromOneAddress_Get429AfterTheBurst_WhileAValidKeyFromAnotherAddressScores()
    {
        var cancel = TestContext.Current.CancellationToken;
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var app = KestrelApp.Start(new DashboardFactory { Settings = { ["Lynq:Scoring:ApiKeys:0"] = Key } }, services => services.AddSingleton<TimeProvider>(clock));
        using var attacker = app.Client("127.0.0.2");
        using var lender = app.Client("127.0.0.3");

        var statuses = new List<HttpStatusCode>();
        var retryAfter = new List<int>();
        for (var i = 0; i < 300; i++)
        {
            using var response = await InfoAsync(attacker, ApiKeyRing.NewKey(), cancel);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                retryAfter.Add(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        // The default burst: 10 wrong keys answered 401, every later one 429 with a wait within the 60 s window.
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 10), statuses.Take(10));
        Assert.All(statuses.Skip(10), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.All(retryAfter, seconds => Assert.InRange(seconds, 1, 60));
        using (var refused = await InfoAsync(attacker, ApiKeyRing.NewKey(), cancel))
        {
            var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(cancel)).RootElement;
            Assert.Equal(429, problem.GetProperty("status").GetInt32());
            Assert.Contains("Too many wrong API keys", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // Someone else's guessing costs the lender nothing; the guessing address waits even with a valid key.
        using (var scored = await InfoAsync(lender, Key, cancel))
        {
            Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
        }

        using (var blocked = await InfoAsync(attacker, Key, cancel))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        }

        // /health is no way around it: a key sent there from the blocked address earns no details.
        using (var health = new HttpRequestMessage(HttpMethod.Get, "/health"))
        {
            health.Headers.Add(ApiKeyRing.Header, Key);
            using var answer = await attacker.SendAsync(health, cancel);
            Assert.False(JsonDocument.Parse(await answer.Content.ReadAsStringAsync(cancel)).RootElement.TryGetProperty("last_error", out _));
        }

        var metrics = await lender.GetStringAsync("/metrics", cancel);
        Assert.Contains("lynq_auth_throttled_total{kind=\"api_key\"} 293", metrics, StringComparison.Ordinal);

        // The wait ends with the window.
        clock.Advance(TimeSpan.FromSeconds(61));
        using var later = await InfoAsync(attacker, Key, cancel);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    private static Task<HttpResponseMessage> InfoAsync(HttpClient client, string key, CancellationToken cancel)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/model/info");
        request.Headers.Add(ApiKeyRing.Header, key);
        return client.SendAsync(request, cancel);
    }
}

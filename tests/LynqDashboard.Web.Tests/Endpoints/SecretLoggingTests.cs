using System.Collections.Concurrent;
using System.Text;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LynqDashboard.Web.Tests.Endpoints;

[Collection(AppHostCollection.Name)]
public sealed class SecretLoggingTests
{
    [Fact]
    public async Task ApiKeys_ValidWrongAndRateLimited_NeverAppearInAnyLogLine()
    {
        const string key = "secret-key-DO-NOT-LOG-0123456789";
        const string wrong = "wrong-key-DO-NOT-LOG-9876543210";
        var lines = new ConcurrentQueue<string>();
        await using var factory = new DashboardFactory { Settings = { ["Lynq:Scoring:ApiKeys:0"] = key, ["Lynq:Scoring:PermitsPerMinute"] = "2" } };
        // A provider-specific rule outranks appsettings' category levels: this collector sees every category at Trace.
        using var configured = factory.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new CollectingProvider(lines))
                .AddFilter<CollectingProvider>(null, LogLevel.Trace))));
        using var client = configured.CreateClient();
        var body = """{"wallet_address":"0xabc","wallet_age_days":365,"total_transactions":150,"total_volume_usd":50000,"defi_interactions":25,"loan_amount":1000,"collateral_value_usd":1500,"term_months":3}""";

        foreach (var presented in new[] { key, wrong, key, key })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ml/credit-score") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-API-KEY", presented);
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        }

        Assert.NotEmpty(lines);
        Assert.DoesNotContain(lines, l => l.Contains(key, StringComparison.Ordinal) || l.Contains(wrong, StringComparison.Ordinal));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsCheck;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Endpoints;
using LynqDashboard.Web.Monitoring;
using LynqDashboard.Web.Security;
using LynqDashboard.Web.Tests.Endpoints;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Monitoring;

/// <summary>
/// Over the real HTTP pipeline: every scoring path lands in the ledger under the right id, channel, caller and model;
/// as many decisions are stored as were sent; outcomes and the browsing endpoints answer as their contract says.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class DecisionLedgerEndpointTests(ScoringApiFixture fixture) : IClassFixture<ScoringApiFixture>
{
    private const string Application =
        """{"wallet_address":"0xabc","wallet_age_days":365,"total_transactions":150,"total_volume_usd":50000,"defi_interactions":25,"loan_amount":1000,"collateral_value_usd":1500,"term_months":3}""";

    private const string Risky =
        """{"wallet_address":"0xrisky","wallet_age_days":5,"total_transactions":3,"total_volume_usd":200,"defi_interactions":0,"loan_amount":9000,"collateral_value_usd":100,"term_months":12,"defaults":3}""";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryApiPath_IsRecorded_WithItsIdChannelCallerAndModel()
    {
        var client = fixture.Client();
        var run = Guid.NewGuid().ToString("N")[..8];
        await SendAsync(client, "/api/ml/credit-score", Application, "application/json", $"single-{run}");
        await SendAsync(client, "/api/ml/credit-score/batch", $"{{\"applications\": [{Application}, {{\"loan_amount\": -1}}, {Risky}]}}", "application/json", $"batch-{run}");
        await SendAsync(client, "/api/ml/credit-score/batch.csv",
            "wallet_address,wallet_age_days,total_transactions,total_volume_usd,defi_interactions,loan_amount,collateral_value_usd,term_months\n0x1,365,150,50000,25,1000,1500,3\n0x2,oops,1,1,1,1,1,1\n0x3,5,3,200,0,9000,100,12\n",
            "text/csv", $"csv-{run}");

        var decisions = await WaitForAsync(d => d.RequestId.EndsWith(run, StringComparison.Ordinal) || d.RequestId.Contains($"-{run}-", StringComparison.Ordinal), 5);
        var byId = decisions.ToDictionary(d => d.RequestId);
        Assert.Equal(
            [$"batch-{run}-0", $"batch-{run}-2", $"csv-{run}-0", $"csv-{run}-2", $"single-{run}"],
            byId.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(DecisionChannels.Api, byId[$"single-{run}"].Channel);
        Assert.Equal(DecisionChannels.ApiBatch, byId[$"batch-{run}-2"].Channel);
        Assert.Equal(DecisionChannels.ApiCsv, byId[$"csv-{run}-2"].Channel);

        var serving = fixture.Factory.Services.GetRequiredService<ActiveModel>().Current;
        var policy = fixture.Factory.Services.GetRequiredService<ActivePolicy>().Current.Version;
        Assert.All(decisions, d =>
        {
            Assert.StartsWith("key:configured-", d.Caller, StringComparison.Ordinal);
            Assert.Equal(serving.Number, d.ModelNumber);
            Assert.Equal(serving.Model!.Sha256, d.ModelSha256);
            Assert.Equal(64, d.ModelSha256.Length);
            Assert.Equal(policy, d.PolicyVersion);
            Assert.False(d.IsFallback);
        });
        Assert.NotEqual(string.Empty, byId[$"batch-{run}-2"].ReasonCodes);
        Assert.Equal(byId[$"batch-{run}-2"].ReasonCodes, byId[$"csv-{run}-2"].ReasonCodes);
        Assert.Equal(9000, byId[$"batch-{run}-2"].FeatureValues()[Core.Features.LoanFeatures.LoanAmount.Index]);
    }

    [Fact]
    public async Task ManyConcurrentRequests_AllReachTheLedger()
    {
        var client = fixture.Client();
        var run = Guid.NewGuid().ToString("N")[..8];
        await Parallel.ForAsync(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Cancel },
            async (i, _) => await SendAsync(client, "/api/ml/credit-score", Application, "application/json", $"load-{run}-{i}"));

        var stored = await WaitForAsync(d => d.RequestId.StartsWith($"load-{run}-", StringComparison.Ordinal), 400);
        Assert.Equal(400, stored.Select(d => d.RequestId).Distinct().Count());
        Assert.Equal(0, fixture.Factory.Services.GetRequiredService<IDecisionLedger>().Dropped);
    }

    [Fact]
    public async Task Outcomes_AreIdempotent_ReportUnknownAndConflict_AndRefuseBadShapesByField()
    {
        var client = fixture.Client();
        var run = Guid.NewGuid().ToString("N")[..8];
        await SendAsync(client, "/api/ml/credit-score", Application, "application/json", $"outcome-{run}");
        await WaitForAsync(d => d.RequestId == $"outcome-{run}", 1);
        var body = $$"""{"outcomes": [{"request_id": "outcome-{{run}}", "defaulted": true, "observed_at": "2026-01-01T00:00:00Z"}, {"request_id": "nobody-{{run}}", "defaulted": false, "observed_at": "2026-01-01T00:00:00Z"}]}""";

        var first = await PostOutcomesAsync(client, body);
        var second = await PostOutcomesAsync(client, body);
        var different = await PostOutcomesAsync(client, body.Replace("true", "false", StringComparison.Ordinal));

        Assert.Equal((1, 0, 1, 0), (first.Recorded, first.AlreadyRecorded, first.Unknown, first.Conflicts));
        Assert.Equal((0, 1, 1), (second.Recorded, second.AlreadyRecorded, second.Unknown));
        Assert.Equal("conflict", different.Results[0].Status);
        Assert.Contains("defaulted true", different.Results[0].Message, StringComparison.Ordinal);

        var bad = await client.PostAsync("/api/ml/outcomes", new StringContent("""{"outcomes": [{"request_id": "x", "defaulted": true, "observed_at": "2026-01-01T00:00:00Z"}, {"request_id": "y", "defaulted": true, "observed_at": "soon"}]}""", Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("outcomes[1].observed_at", await bad.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Client(key: null).PostAsync("/api/ml/outcomes", new StringContent(body), Cancel)).StatusCode);

        var stored = await StoredOutcomeAsync($"outcome-{run}");
        Assert.True(stored?.Defaulted);
    }

    [Fact]
    public async Task MalformedOutcomeBodies_NeverAnswer500_AndNeverChangeStoredOutcomes()
    {
        var client = fixture.Client();
        var run = Guid.NewGuid().ToString("N")[..8];
        await SendAsync(client, "/api/ml/credit-score", Application, "application/json", $"fuzz-{run}");
        await WaitForAsync(d => d.RequestId == $"fuzz-{run}", 1);
        await PostOutcomesAsync(client, $$"""{"outcomes": [{"request_id": "fuzz-{{run}}", "defaulted": false, "observed_at": "2026-02-01T00:00:00Z"}]}""");
        var pieces = new[] { "{", "}", "[", "]", ",", ":", "\"outcomes\"", $"\"fuzz-{run}\"", "\"request_id\"", "\"defaulted\"", "true", "false", "null", "1", "\"observed_at\"", "\"2026-03-01T00:00:00Z\"", "\"\"", "\"\\u0000\"" };
        var bodies = Gen.OneOf(
            Gen.Int[0, pieces.Length - 1].Array[0, 40].Select(ix => string.Concat(ix.Select(i => pieces[i]))),
            Gen.String[0, 200],
            Gen.Select(Gen.Bool, Gen.OneOf("2026-03-01T00:00:00Z", "2099-01-01T00:00:00Z", "2026-03-01", "", "x"),
                (d, t) => $$"""{"outcomes": [{"request_id": "fuzz-{{run}}", "defaulted": {{(d ? "true" : "false")}}, "observed_at": "{{t}}"}]}"""));

        await bodies.SampleAsync(async body =>
        {
            var response = await client.PostAsync("/api/ml/outcomes", new StringContent(body, Encoding.UTF8, "application/json"), Cancel);
            Assert.True((int)response.StatusCode is 200 or 422 or 413, $"{(int)response.StatusCode} for {body}: {await response.Content.ReadAsStringAsync(Cancel)}");
        }, iter: 150, threads: 1);

        var stored = await StoredOutcomeAsync($"fuzz-{run}");
        Assert.Equal((false, new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)), (stored!.Defaulted, stored.ObservedAt));
    }

    [Fact]
    public async Task DecisionsApi_FiltersAndCounts_TheCsvHasAsManyRowsAsTheTotal_AndBadParametersAre422()
    {
        var client = fixture.Client();
        var run = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 3; i++)
        {
            await SendAsync(client, "/api/ml/credit-score", i == 0 ? Risky : Application, "application/json", $"browse-{run}-{i}");
        }

        await WaitForAsync(d => d.RequestId.StartsWith($"browse-{run}", StringComparison.Ordinal), 3);
        var viewer = await fixture.Factory.SignedInClientAsync(Core.Access.LynqRoles.Viewer);
        var version = fixture.Factory.Services.GetRequiredService<ActiveModel>().Current.Number;

        using var page = JsonDocument.Parse(await viewer.GetStringAsync($"/api/dashboard/decisions?take=2&version={version}&channel=api", Cancel));
        var total = page.RootElement.GetProperty("total").GetInt64();
        Assert.True(total >= 3);
        var items = page.RootElement.GetProperty("items");
        Assert.Equal(2, items.GetArrayLength());
        Assert.Equal(365, items[0].GetProperty("features").GetProperty("wallet_age_days").GetDouble());
        Assert.Equal(JsonValueKind.Array, items[0].GetProperty("reason_codes").ValueKind);

        var csv = await viewer.GetStringAsync($"/api/dashboard/decisions.csv?version={version}&channel=api", Cancel);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', DecisionCsv.Columns), lines[0]);
        Assert.Equal(total, lines.Length - 1);

        foreach (var (query, parameter) in new[] { ("take=0", "take"), ("take=abc", "take"), ("version=latest", "version"), ("action=MAYBE", "action"), ("from=yesterday", "from"), ("to=2026-13-01", "to"), ("channel=fax", "channel") })
        {
            var response = await viewer.GetAsync($"/api/dashboard/decisions?{query}", Cancel);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _), $"{query} should name {parameter}");
        }

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await viewer.GetAsync("/api/dashboard/decisions.csv?version=x", Cancel)).StatusCode);
    }

    private static async Task SendAsync(HttpClient client, string path, string body, string type, string requestId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, type) };
        request.Headers.Add("X-Request-ID", requestId);
        var response = await client.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<DecisionEndpoints.OutcomeResponse> PostOutcomesAsync(HttpClient client, string body)
    {
        var response = await client.PostAsync("/api/ml/outcomes", new StringContent(body, Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<DecisionEndpoints.OutcomeResponse>(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }, Cancel))!;
    }

    private async Task<OutcomeRecord?> StoredOutcomeAsync(string requestId)
    {
        var contexts = fixture.Factory.Services.GetRequiredService<IDbContextFactory<Infrastructure.Registry.RegistryDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(Cancel);
        return await db.Outcomes.AsNoTracking().SingleOrDefaultAsync(o => o.RequestId == requestId, Cancel);
    }

    // The writer stores within its linger (100 ms); waiting for the exact count proves none was lost and none doubled.
    private async Task<List<DecisionRecord>> WaitForAsync(Func<DecisionRecord, bool> match, int count)
    {
        var contexts = fixture.Factory.Services.GetRequiredService<IDbContextFactory<Infrastructure.Registry.RegistryDbContext>>();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(Cancel);
            var found = (await db.Decisions.AsNoTracking().ToListAsync(Cancel)).Where(match).ToList();
            if (found.Count >= count || DateTime.UtcNow > deadline)
            {
                var ledger = (DecisionLedger)fixture.Factory.Services.GetRequiredService<IDecisionLedger>();
                Assert.True(count == found.Count,
                    $"{found.Count} of {count} stored; the ledger recorded {ledger.Recorded}, wrote {ledger.Written}, dropped {ledger.Dropped} ({ledger.WriteFailures} in failed writes), {ledger.Pending} pending");
                await Task.Delay(300, Cancel);
                await using var again = await contexts.CreateDbContextAsync(Cancel);
                Assert.Equal(count, (await again.Decisions.AsNoTracking().ToListAsync(Cancel)).Count(match));
                return found;
            }

            await Task.Delay(50, Cancel);
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Challengers;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Scoring;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Challengers;

/// <summary>
/// Shadow and split through the real app: answers stay production's with a shadow (byte for byte), the ledger holds
/// both answers, a split answers its wallets with the challenger and says so, and only an Approver may change either.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ChallengerScoringTests(ChallengerFixture fixture) : IClassFixture<ChallengerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Shadow_AnswersAreProductionsByteForByte_AndTheLedgerHoldsBothAnswers()
    {
        using var approver = await DashboardClientAsync(LynqRoles.Approver);
        using var api = fixture.ScoringClient();
        var applications = new TrafficSimulator(40, seed: 5, TrafficDrift.None).Applications().Select(a => a.Application).ToList();

        var before = await ScoreAllAsync(api, applications, "noshadow");
        (await approver.PostAsJsonAsync("/api/dashboard/shadow", new { version = fixture.Challenger }, Cancel)).EnsureSuccessStatusCode();
        await fixture.WaitForChallengersAsync(c => c.Shadow?.Number == fixture.Challenger);
        var during = await ScoreAllAsync(api, applications, "shadow");
        (await approver.DeleteAsync("/api/dashboard/shadow", Cancel)).EnsureSuccessStatusCode();
        await fixture.WaitForChallengersAsync(c => c.Shadow is null);

        Assert.Equal(before.Values.Select(WithoutTiming), during.Values.Select(WithoutTiming));
        Assert.All(during.Values, answer => Assert.Equal(fixture.Production.ToString(System.Globalization.CultureInfo.InvariantCulture), answer["model_version"]!.GetValue<string>()));
        Assert.All(during.Values, answer => Assert.Null(answer["experiment_arm"]));

        // The ledger: production's answer, and beside it the challenger's own PD and action for the same application.
        var rows = await fixture.LedgerRowsAsync([.. during.Keys, .. before.Keys]);
        var challenger = await fixture.Factory.Services.GetRequiredService<ScoringModels>().GetAsync(fixture.Challenger, Cancel);
        var scorer = fixture.Factory.Services.GetRequiredService<CreditScorer>();
        foreach (var (id, i) in during.Keys.Select((id, i) => (id, i)))
        {
            var row = rows[id];
            var expected = scorer.Score(applications[i], challenger, explain: false);
            Assert.Equal(during[id]["default_probability"]!.GetValue<double>(), row.DefaultProbability, 12);
            Assert.Equal((fixture.Production, $"{fixture.Challenger}"), (row.ModelNumber!.Value, row.ShadowVersion));
            Assert.Equal(expected.DefaultProbability, row.ShadowProbability!.Value, 12);
            Assert.Equal(expected.RecommendedAction.ToString(), row.ShadowAction);
            Assert.Equal(string.Join(',', expected.ReasonCodes.Select(r => r.Code)), row.ShadowReasonCodes);
        }

        Assert.All(before.Keys, id => Assert.Null(rows[id].ShadowVersion));
        Assert.NotEqual(rows.Values.Where(r => r.ShadowProbability is not null).Select(r => r.DefaultProbability), rows.Values.Where(r => r.ShadowProbability is not null).Select(r => r.ShadowProbability!.Value));
    }

    [Fact]
    public async Task Split_TheChallengerAnswersItsWallets_TheSameWalletAlwaysMeetsTheSameArm_AndTheLedgerSaysWhich()
    {
        using var approver = await DashboardClientAsync(LynqRoles.Approver);
        using var api = fixture.ScoringClient();
        var applications = new TrafficSimulator(120, seed: 6, TrafficDrift.None).Applications().Select(a => a.Application).ToList();
        (await approver.PostAsJsonAsync("/api/dashboard/split", new { version = fixture.Challenger, percent = 50 }, Cancel)).EnsureSuccessStatusCode();
        await fixture.WaitForChallengersAsync(c => c.Split?.Number == fixture.Challenger);
        var info = JsonNode.Parse(await api.GetStringAsync("/model/info", Cancel))!;
        Assert.Equal((fixture.Challenger, 50.0), (info["split"]!["version"]!.GetValue<int>(), info["split"]!["percent"]!.GetValue<double>()));

        var first = await ScoreAllAsync(api, applications, "split-a");
        var again = await ScoreAllAsync(api, applications, "split-b");
        (await approver.DeleteAsync("/api/dashboard/split", Cancel)).EnsureSuccessStatusCode();
        await fixture.WaitForChallengersAsync(c => c.Split is null);
        var after = await ScoreAllAsync(api, applications.Take(5).ToList(), "split-over");

        var arms = first.Values.Select(a => a["experiment_arm"]!.GetValue<string>()).ToList();
        Assert.Equal(arms, again.Values.Select(a => a["experiment_arm"]!.GetValue<string>()));
        Assert.Equal(applications.Select(a => WalletSplit.IsChallenger(a.WalletAddress, 50) ? ExperimentArms.Challenger : ExperimentArms.Champion), arms);
        Assert.Contains(ExperimentArms.Challenger, arms);
        Assert.Contains(ExperimentArms.Champion, arms);
        Assert.All(first.Values, a => Assert.Equal(
            a["experiment_arm"]!.GetValue<string>() == ExperimentArms.Challenger ? $"{fixture.Challenger}" : $"{fixture.Production}", a["model_version"]!.GetValue<string>()));
        Assert.All(after.Values, a => Assert.Null(a["experiment_arm"]));

        var rows = await fixture.LedgerRowsAsync([.. first.Keys]);
        Assert.All(first, pair => Assert.Equal(
            (pair.Value["experiment_arm"]!.GetValue<string>(), int.Parse(pair.Value["model_version"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)),
            (rows[pair.Key].ExperimentArm, rows[pair.Key].ModelNumber!.Value)));
    }

    [Fact]
    public async Task Endpoints_OnlyAnApproverChangesThem_BadVersionsAndSharesAre422NamingTheField_EachChangeIsAudited()
    {
        using var trainer = await DashboardClientAsync(LynqRoles.Trainer);
        using var approver = await DashboardClientAsync(LynqRoles.Approver);
        using var forged = await DashboardFactory.SignedInClientAsync(fixture.Factory, LynqRoles.Approver); // signed in, but no anti-forgery token
        Assert.Equal(HttpStatusCode.BadRequest, (await forged.DeleteAsync("/api/dashboard/shadow", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await forged.DeleteAsync("/api/dashboard/split", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await trainer.PostAsJsonAsync("/api/dashboard/shadow", new { version = fixture.Challenger }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await trainer.PostAsJsonAsync("/api/dashboard/split", new { version = fixture.Challenger, percent = 10 }, Cancel)).StatusCode);

        await AssertRefusedAsync(approver, "/api/dashboard/shadow", new { version = 999 }, "version", "does not exist");
        await AssertRefusedAsync(approver, "/api/dashboard/shadow", new { version = fixture.Production }, "version", "is production");
        await AssertRefusedAsync(approver, "/api/dashboard/shadow", new { }, "version", "is required");
        await AssertRefusedAsync(approver, "/api/dashboard/split", new { version = fixture.Challenger, percent = 0 }, "percent", "between");
        await AssertRefusedAsync(approver, "/api/dashboard/split", new { version = fixture.Challenger, percent = 80 }, "percent", "between");
        await AssertRefusedAsync(approver, "/api/dashboard/split", new { version = fixture.Challenger, percent = 12.345 }, "percent", "two decimals");
        Assert.Null(JsonNode.Parse(await trainer.GetStringAsync("/api/dashboard/challengers", Cancel))!["split"]);

        (await approver.PostAsJsonAsync("/api/dashboard/split", new { version = fixture.Challenger, percent = 10 }, Cancel)).EnsureSuccessStatusCode();
        (await approver.PostAsJsonAsync("/api/dashboard/split", new { version = fixture.Challenger, percent = 20 }, Cancel)).EnsureSuccessStatusCode();
        var state = JsonNode.Parse(await trainer.GetStringAsync("/api/dashboard/challengers", Cancel))!;
        Assert.Equal((fixture.Challenger, 20.0), (state["split"]!["version"]!.GetValue<int>(), state["split"]!["percent"]!.GetValue<double>()));
        (await approver.DeleteAsync("/api/dashboard/split", Cancel)).EnsureSuccessStatusCode();
        Assert.False(JsonNode.Parse(await (await approver.DeleteAsync("/api/dashboard/split", Cancel)).Content.ReadAsStringAsync(Cancel))!["was_running"]!.GetValue<bool>());

        var audit = await fixture.Factory.Services.GetRequiredService<IAuditLog>().ListAsync(0, 50, Cancel);
        Assert.Contains(audit, a => a.Action == "split.started" && a.Actor.StartsWith("approver@", StringComparison.Ordinal) && a.Detail.Contains("10% of wallets", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Action == "split.changed" && a.Detail.Contains("it was", StringComparison.Ordinal) && a.Detail.Contains("10%", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Action == "split.stopped");
    }

    private static async Task AssertRefusedAsync(HttpClient client, string path, object body, string field, string says)
    {
        using var response = await client.PostAsJsonAsync(path, body, Cancel);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        Assert.Contains(says, problem["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    // Each application under its own request id, answers by id in sending order.
    private static async Task<Dictionary<string, JsonObject>> ScoreAllAsync(HttpClient api, IReadOnlyList<Core.Features.LoanApplication> applications, string prefix)
    {
        var answers = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var run = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < applications.Count; i++)
        {
            var id = $"{prefix}-{run}-{i}";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ml/credit-score") { Content = JsonContent.Create(ChallengerFixture.Body(applications[i])) };
            request.Headers.Add(RequestIdMiddleware.Header, id);
            using var response = await api.SendAsync(request, Cancel);
            response.EnsureSuccessStatusCode();
            answers[id] = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!.AsObject();
        }

        return answers;
    }

    private static string WithoutTiming(JsonObject answer)
    {
        var copy = answer.DeepClone().AsObject();
        copy.Remove("processing_time_ms");
        return copy.ToJsonString();
    }

    private async Task<HttpClient> DashboardClientAsync(string role)
    {
        var client = await DashboardFactory.SignedInClientAsync(fixture.Factory, role);
        var token = await client.GetFromJsonAsync<JsonElement>("/api/dashboard/antiforgery", Cancel);
        client.DefaultRequestHeaders.Add("X-XSRF-TOKEN", token.GetProperty("token").GetString());
        return client;
    }
}

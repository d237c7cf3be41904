using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Challengers;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Monitoring.Challengers;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Monitoring;

/// <summary>The comparison endpoint over the real app: decisions with shadow answers and arms in the real ledger (SQLite file), outcomes recorded, then GET.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ChallengerComparisonApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Challengers_LedgerRowsWithShadowAndArms_AnswerTheirComparisonAsJson()
    {
        await using var app = new DashboardFactory();
        var store = app.Services.GetRequiredService<IDecisionStore>();
        var rows = Rows(DateTimeOffset.UtcNow.AddHours(-2));
        await store.AppendAsync(rows, Cancel);
        var outcomes = await store.RecordOutcomesAsync([.. rows.Where((_, i) => i % 2 == 0).Select((r, k) => new OutcomeSubmission(r.RequestId, k % 4 == 0, DateTimeOffset.UtcNow))], "test", Cancel);
        Assert.All(outcomes, o => Assert.Equal(OutcomeVerdict.Recorded, o.Verdict));
        using var viewer = await DashboardFactory.SignedInClientAsync(app, LynqRoles.Viewer);

        var report = await viewer.GetFromJsonAsync<JsonElement>("/api/dashboard/monitoring/challengers", Cancel);

        Assert.Equal(rows.Count, report.GetProperty("decisions").GetInt64());
        Assert.Equal([0.02, 0.05, 0.10, 0.20], report.GetProperty("cutoffs").EnumerateArray().Select(c => c.GetDouble()));
        var shadow = Assert.Single(report.GetProperty("shadows").EnumerateArray());
        Assert.Equal((3, 4, 150L), (shadow.GetProperty("champion_version").GetInt32(), shadow.GetProperty("shadow_version").GetInt32(), shadow.GetProperty("decisions").GetInt64()));

        // The same rows through Core directly: what the ledger round trip must not change.
        var expected = Expected(rows, outcomes.Select(o => o.RequestId).ToHashSet(), rows.Where((_, i) => i % 2 == 0).Select((r, k) => (r.RequestId, k % 4 == 0)).ToDictionary());
        var e = Assert.Single(expected.Shadows);
        Assert.Equal(e.Pearson!.Value, shadow.GetProperty("pearson").GetDouble(), 9);
        Assert.Equal(e.Psi, shadow.GetProperty("psi").GetDouble(), 9);
        Assert.Equal(e.Cutoffs.Select(c => (c.ShadowStricter, c.ShadowLooser)),
            shadow.GetProperty("cutoffs").EnumerateArray().Select(c => (c.GetProperty("shadow_stricter").GetInt64(), c.GetProperty("shadow_looser").GetInt64())));
        Assert.Equal(50, shadow.GetProperty("cutoffs")[0].GetProperty("shadow_stricter").GetInt64()); // every fourth row: 1.5 % against 2.5 %
        Assert.Equal(e.ActionFlips, shadow.GetProperty("action_flips").GetInt64());
        var o = shadow.GetProperty("outcomes");
        Assert.Equal((100L, 25L), (o.GetProperty("loans").GetInt64(), o.GetProperty("defaults").GetInt64()));
        Assert.Equal(e.Outcomes!.AucDifference!.Estimate, o.GetProperty("auc_difference").GetProperty("estimate").GetDouble(), 9);
        Assert.Equal(e.Outcomes.AucDifference.Low, o.GetProperty("auc_difference").GetProperty("low").GetDouble(), 9);
        Assert.Equal(e.Outcomes.Champion.CalibrationGap!.Estimate, o.GetProperty("champion").GetProperty("calibration_gap").GetProperty("estimate").GetDouble(), 9);

        var arms = report.GetProperty("split").GetProperty("pooled").EnumerateArray().ToDictionary(a => a.GetProperty("arm").GetString()!);
        Assert.Equal(150, arms[ExperimentArms.Champion].GetProperty("decisions").GetInt64());
        Assert.Equal(50, arms[ExperimentArms.Challenger].GetProperty("decisions").GetInt64());
        var champion = expected.Split.Pooled.Single(a => a.Arm == ExperimentArms.Champion);
        Assert.Equal(champion.ApprovalRate.Estimate, arms[ExperimentArms.Champion].GetProperty("approval_rate").GetProperty("estimate").GetDouble(), 12);
        Assert.Equal(champion.ApprovalRate.Low, arms[ExperimentArms.Champion].GetProperty("approval_rate").GetProperty("low").GetDouble(), 12);
        Assert.Equal(champion.ExpectedLoss, arms[ExperimentArms.Champion].GetProperty("expected_loss").GetDouble(), 6);
        Assert.Equal(expected.Split.ApprovalRateDifference!.Estimate, report.GetProperty("split").GetProperty("approval_rate_difference").GetProperty("estimate").GetDouble(), 12);

        // A window that ends before the rows holds none of them.
        var before = await viewer.GetFromJsonAsync<JsonElement>($"/api/dashboard/monitoring/challengers?to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-3).ToString("O", CultureInfo.InvariantCulture))}", Cancel);
        Assert.Equal(0, before.GetProperty("decisions").GetInt64());
        Assert.Empty(before.GetProperty("shadows").EnumerateArray());
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-01", "to")]
    [InlineData("from=2026-12-02&to=2026-12-01", "to")]
    [InlineData("from=2026-12-01T00:00:00", "from")] // a time without its offset would be read in the server's zone
    public async Task Challengers_BadWindow_Is422NamingTheField(string query, string field)
    {
        await using var app = new DashboardFactory();
        using var viewer = await DashboardFactory.SignedInClientAsync(app, LynqRoles.Viewer);

        using var response = await viewer.GetAsync($"/api/dashboard/monitoring/challengers?{query}", Cancel);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    // 200 decisions by v3 with v4 in shadow: three in four in the champion arm (answered by v3), one in four in the
    // challenger arm (answered by v5); every fourth has a shadow PD above the 2 % cutoff where v3's is below it.
    private static List<DecisionRecord> Rows(DateTimeOffset start) => [.. Enumerable.Range(0, 200).Select(i =>
    {
        var pd = i % 4 == 0 ? 0.015 : 0.03 + (i * 0.001);
        var shadowPd = i % 4 == 0 ? 0.025 : pd * (i % 3 == 0 ? 0.9 : 1.2);
        var features = new byte[LoanFeatures.Count * sizeof(double)];
        BinaryPrimitives.WriteDoubleLittleEndian(features.AsSpan(LoanFeatures.LoanAmount.Index * sizeof(double)), 1_000 + i);
        BinaryPrimitives.WriteDoubleLittleEndian(features.AsSpan(LoanFeatures.CollateralValueUsd.Index * sizeof(double)), i % 2 == 0 ? 500 : 2_000);
        var challenger = i % 4 == 1;
        return new DecisionRecord
        {
            At = start.AddSeconds(i), RequestId = $"cmp-{i}", Channel = DecisionChannels.Api, Caller = "test", ModelVersion = challenger ? "5" : "3",
            ModelNumber = challenger ? 5 : 3, ModelSha256 = "x", PolicyVersion = 2, Features = features, DefaultProbability = pd, CreditScore = 500,
            RiskLevel = "LOW", Action = RiskPolicy.Default.BandFor(pd).Action.ToString(), DecisionReason = "test", ReasonCodes = string.Empty, ReasonCatalogueVersion = "1",
            IsFallback = false, ShadowVersion = challenger ? null : "4", ShadowProbability = challenger ? null : shadowPd,
            ShadowAction = challenger ? null : RiskPolicy.Default.BandFor(shadowPd).Action.ToString(), ShadowReasonCodes = challenger ? null : string.Empty,
            ExperimentArm = challenger ? ExperimentArms.Challenger : ExperimentArms.Champion,
        };
    })];

    private static ChallengerReport Expected(List<DecisionRecord> rows, HashSet<string> withOutcome, Dictionary<string, bool> outcome)
    {
        var builder = new ChallengerReportBuilder(RiskPolicy.Default);
        foreach (var r in rows)
        {
            bool? defaulted = withOutcome.Contains(r.RequestId) ? outcome[r.RequestId] : null;
            builder.Add(new JoinedDecision(r.Id, r.RequestId, r.At, r.ModelNumber, r.FeatureValues(), r.DefaultProbability, r.Action,
                r.ShadowVersion is null ? null : int.Parse(r.ShadowVersion, CultureInfo.InvariantCulture), r.ShadowProbability, r.ShadowAction, r.ExperimentArm, defaulted, null));
        }

        return builder.Build(default, default, 0);
    }
}

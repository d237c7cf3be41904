using Bunit;
using LynqDashboard.Core.Challengers;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Monitoring.Challengers;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Components.Controls;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using MonitoringPage = LynqDashboard.Web.Components.Pages.Monitoring;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>The two comparison cards, empty and filled, and the Monitoring page over decisions in the real ledger store.</summary>
public sealed class ChallengerCardsTests : ComponentTest
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ShadowComparisonCard_NoShadow_SaysHowToStartOne()
    {
        var cut = Render<ShadowComparisonCard>(p => p.Add(c => c.Shadow, null).Add(c => c.WindowText, "in the last 30 days"));

        Assert.Contains("No shadow has scored yet in the last 30 days: an Approver can put a Ready version in shadow on its page", cut.Find("[data-testid=shadow-empty]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=shadow-flips]"));
    }

    [Fact]
    public void ShadowComparisonCard_WithOutcomes_ShowsMetricsFlipsMatrixAndTheAucSentence()
    {
        var view = ChallengerComparisonView.Of(Report(outcomes: true));
        var cut = Render<ShadowComparisonCard>(p => p.Add(c => c.Shadow, view.Shadows[0]));

        Assert.Equal("Champion v3 vs shadow v4", cut.Find("[data-testid=shadow-title]").TextContent);
        Assert.Equal(view.Shadows[0].Correlation, cut.Find("[data-testid=metric-shadow-pearson]").TextContent);
        var twoPercent = cut.Find("[data-testid='flip-2 %']");
        Assert.Equal(("100", "0"), (twoPercent.QuerySelector("[data-testid=flip-stricter]")!.TextContent, twoPercent.QuerySelector("[data-testid=flip-looser]")!.TextContent));
        Assert.Equal("100", cut.Find("[data-testid=matrix-APPROVE-APPROVE]").TextContent); // 1.5 % → 2.5 %: both APPROVE
        Assert.Equal("100", cut.Find("[data-testid=matrix-APPROVE_WITH_CONDITIONS-MANUAL_REVIEW]").TextContent);
        Assert.Equal(cut.FindAll("[data-testid=shadow-scatter] svg path.xy-marker").Count, view.Shadows[0].Result.Sample.Count);
        var auc = cut.Find("[data-testid=shadow-auc]").TextContent;
        Assert.Matches(@"^v4's AUC is \d\.\d{3} (higher|lower) than v3's \(95 % CI -?\d\.\d{3} to -?\d\.\d{3}\) on the same 200 loans", auc);
        Assert.NotNull(cut.Find("[data-testid=shadow-calibration]"));
    }

    [Fact]
    public void ShadowComparisonCard_BeforeOutcomes_SaysAucFollows()
    {
        var view = ChallengerComparisonView.Of(Report(outcomes: false));
        var cut = Render<ShadowComparisonCard>(p => p.Add(c => c.Shadow, view.Shadows[0]));

        Assert.Contains("No outcome is known yet", cut.Find("[data-testid=shadow-no-outcomes]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=shadow-auc]"));
    }

    [Fact]
    public void ArmComparisonCard_NoSplit_SaysHowToStartOne()
    {
        var cut = Render<ArmComparisonCard>(p => p.Add(c => c.Split, null));

        Assert.Contains("No A/B split has answered yet: an Approver starts one", cut.Find("[data-testid=arm-empty]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ArmComparisonCard_TwoArms_ShowsRatesWithIntervalsExpectedLossAndBars()
    {
        var view = ChallengerComparisonView.Of(Report(outcomes: true));
        var cut = Render<ArmComparisonCard>(p => p.Add(c => c.Split, view.Split));

        // Champion arm: 200 decisions, all approved (100 with conditions); challenger arm: 40 of 50 approved (Wilson 67.0 % to 88.8 %).
        var champion = cut.Find("[data-testid=arm-champion]");
        Assert.Equal("100.0 % (98.1 % to 100.0 %)", champion.QuerySelector("[data-testid=arm-approval]")!.TextContent);
        Assert.Equal("80.0 % (67.0 % to 88.8 %)", cut.Find("[data-testid=arm-challenger]").QuerySelector("[data-testid=arm-approval]")!.TextContent);
        Assert.Equal("$950", champion.QuerySelector("[data-testid=arm-expected-loss]")!.TextContent); // (100 × 1.5 % + 100 × 8 %) × $1,000 × LGD 0.1
        Assert.Equal(2, cut.FindAll("[data-testid=arm-approval-bars] tr").Count);
        Assert.Contains("challenger arm approves −20.00 pp", cut.Find("[data-testid=arm-approval-difference]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-testid=arm-bad-rate-bars]"));
    }

    [Fact]
    public async Task MonitoringPage_ShadowDecisionsInTheLedger_ShowTheComparisonAndTheSplitsEmptyState()
    {
        var now = DateTimeOffset.UtcNow;
        await Services.GetRequiredService<IDecisionStore>().AppendAsync([.. Enumerable.Range(0, 30).Select(i => new DecisionRecord
        {
            At = now.AddMinutes(-i), RequestId = $"p{i}", Channel = DecisionChannels.Api, Caller = "test", ModelVersion = "3", ModelNumber = 3, ModelSha256 = "x", PolicyVersion = 2,
            Features = new byte[LoanFeatures.Count * sizeof(double)], DefaultProbability = 0.01 + (i * 0.001), CreditScore = 900, RiskLevel = "VERY_LOW", Action = "APPROVE",
            DecisionReason = "t", ReasonCodes = string.Empty, ReasonCatalogueVersion = "1", IsFallback = false, ShadowVersion = "4", ShadowProbability = 0.03, ShadowAction = "APPROVE",
        })], Xunit.TestContext.Current.CancellationToken);

        var cut = Render<MonitoringPage>();

        cut.WaitForAssertion(() => Assert.Equal("Champion v3 vs shadow v4", cut.Find("[data-testid=shadow-title]").TextContent), TimeSpan.FromSeconds(10));
        Assert.NotNull(cut.Find("[data-testid=arm-empty]"));
        Assert.Equal("10", cut.Find("[data-testid='flip-2 %'] [data-testid=flip-stricter]").TextContent); // PDs 1.0–1.9 % against 3 %
    }

    [Fact]
    public void MonitoringPage_EmptyLedger_ShowsBothEmptyStates()
    {
        var cut = Render<MonitoringPage>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=shadow-empty]")), TimeSpan.FromSeconds(10));
        Assert.NotNull(cut.Find("[data-testid=arm-empty]"));
    }

    // 200 champion-arm decisions by v3 with v4 in shadow (100 at 1.5 % → 2.5 % or 2.9 %, 100 at 8 % → 12 % or 12.4 %), 50 challenger-arm decisions by v5.
    private static ChallengerReport Report(bool outcomes)
    {
        var builder = new ChallengerReportBuilder(RiskPolicy.Default);
        var features = new double[LoanFeatures.Count];
        features[LoanFeatures.LoanAmount.Index] = 1_000;
        features[LoanFeatures.CollateralValueUsd.Index] = 900; // LGD 0.1
        for (var i = 0; i < 200; i++)
        {
            var (pd, shadow) = i < 100 ? (0.015, 0.025) : (0.08, 0.12);
            shadow += i % 10 == 0 ? 0.004 : 0; // the shadow ranks some of the defaults higher: its AUC differs
            bool? defaulted = outcomes ? i % 10 == 0 || (i >= 100 && i % 3 == 0) : null;
            builder.Add(new JoinedDecision(i, $"r{i}", Start.AddMinutes(i), 3, features, pd, RiskPolicy.Default.BandFor(pd).Action == RecommendedAction.APPROVE ? "APPROVE" : "APPROVE_WITH_CONDITIONS",
                4, shadow, RiskPolicy.Default.BandFor(shadow).Action.ToString(), ExperimentArms.Champion, defaulted, null));
        }

        for (var i = 200; i < 250; i++)
        {
            builder.Add(new JoinedDecision(i, $"r{i}", Start.AddMinutes(i), 5, features, 0.03, i % 5 == 0 ? "MANUAL_REVIEW" : "APPROVE", null, null, null, ExperimentArms.Challenger, outcomes ? i % 5 == 0 : null, null));
        }

        return builder.Build(Start, Start.AddDays(1), 0);
    }
}

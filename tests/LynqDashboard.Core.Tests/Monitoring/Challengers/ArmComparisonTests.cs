using LynqDashboard.Core.Challengers;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Monitoring.Challengers;
using LynqDashboard.Core.Scoring;
using static LynqDashboard.Core.Tests.Monitoring.Challengers.ShadowComparisonTests;

namespace LynqDashboard.Core.Tests.Monitoring.Challengers;

public sealed class ArmComparisonTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Wilson_OneOfSixAndEightOfTen_MatchTheScoreIntervalWorkedByHand()
    {
        // p = 1/6, z² = 3.8415: centre (p + z²/12) / (1 + z²/6) = 0.2968, half-width 0.2667.
        var oneOfSix = Proportions.Wilson(1, 6)!;
        var eightOfTen = Proportions.Wilson(8, 10)!;

        Assert.Equal((1 / 6.0, 0.0301, 0.5635), (oneOfSix.Estimate, Math.Round(oneOfSix.Low, 4), Math.Round(oneOfSix.High, 4)));
        Assert.Equal((0.8, 0.4902, 0.9433), (eightOfTen.Estimate, Math.Round(eightOfTen.Low, 4), Math.Round(eightOfTen.High, 4)));
        Assert.Equal(0, Proportions.Wilson(0, 20)!.Low);
        Assert.Null(Proportions.Wilson(0, 0));
    }

    [Fact]
    public void Difference_NewcombesWorkedExample_Is0524To3339()
    {
        // Newcombe (1998), Statistics in Medicine 17, table II: 56/70 against 48/80, method 10.
        var d = Proportions.Difference(56, 70, 48, 80)!;

        Assert.Equal((0.2, 0.0524, 0.3339), (Math.Round(d.Estimate, 10), Math.Round(d.Low, 4), Math.Round(d.High, 4)));
    }

    [Fact]
    public void Build_TwoArms_CountsApprovalsBadRateAmongApprovedAndExpectedLoss()
    {
        var builder = new ChallengerReportBuilder(RiskPolicy.Default);

        // Champion arm (v3): 10 decisions, 8 approved (one with conditions), 6 of those with an outcome, 1 default.
        var half = Loan(1_000, 500);   // LGD 0.5
        var covered = Loan(2_000, 3_000); // LGD 0
        for (var i = 0; i < 10; i++)
        {
            var action = i < 7 ? "APPROVE" : i == 7 ? "APPROVE_WITH_CONDITIONS" : i == 8 ? "MANUAL_REVIEW" : "REJECT";
            bool? outcome = i < 6 ? i == 0 : i == 9 ? true : null; // the rejected loan's default does not count: it was not approved
            builder.Add(Row(i, 3, 0.1, action, null, 0, null, outcome, ExperimentArms.Champion, i == 0 ? half : covered));
        }

        // Challenger arm (v4): 4 decisions, all approved, 2 with outcomes, none defaulted.
        for (var i = 10; i < 14; i++)
        {
            builder.Add(Row(i, 4, 0.05, "APPROVE", null, 0, null, i < 12 ? false : null, ExperimentArms.Challenger, half));
        }

        builder.Add(Row(20, 3, 0.1, "APPROVE", null, 0, null)); // no split: not an arm's
        var split = builder.Build(Start, Start.AddDays(1), 0).Split;

        Assert.Equal(2, split.Arms.Count);
        var champion = split.Pooled.Single(a => a.Arm == ExperimentArms.Champion);
        Assert.Equal((3, 10L, 8L, 6L, 1L), (champion.Version, champion.Decisions, champion.Approved, champion.ApprovedWithOutcome, champion.ApprovedDefaults));
        Assert.Equal((0.8, 0.4902, 0.9433), (champion.ApprovalRate.Estimate, Math.Round(champion.ApprovalRate.Low, 4), Math.Round(champion.ApprovalRate.High, 4)));
        Assert.Equal((1 / 6.0, 0.0301, 0.5635), (champion.BadRate!.Estimate, Math.Round(champion.BadRate.Low, 4), Math.Round(champion.BadRate.High, 4)));
        Assert.Equal(1_000 + (7 * 2_000), champion.ApprovedAmount);
        Assert.Equal(0.1 * 1_000 * 0.5, champion.ExpectedLoss, 9); // only the half-covered loan can lose anything
        Assert.Equal(0.1 * 15_000, champion.PdWeightedExposure, 9);
        Assert.Equal(0.1, champion.MeanApprovedPd!.Value, 12);

        var challenger = split.Pooled.Single(a => a.Arm == ExperimentArms.Challenger);
        Assert.Equal((4L, 4L, 2L, 0L), (challenger.Decisions, challenger.Approved, challenger.ApprovedWithOutcome, challenger.ApprovedDefaults));
        Assert.Equal(4 * 0.05 * 1_000 * 0.5, challenger.ExpectedLoss, 9);
        var expected = Proportions.Difference(4, 4, 8, 10)!;
        Assert.Equal(expected, split.ApprovalRateDifference);
        Assert.Equal(0.2, split.ApprovalRateDifference!.Estimate, 12);
        Assert.Equal(-1 / 6.0, split.BadRateDifference!.Estimate, 12);
        Assert.Contains("LGD = 1 − min(1, collateral value ÷ loan amount)", split.LgdAssumption, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoSplit_HasNoArmsAndNoDifference()
    {
        var builder = new ChallengerReportBuilder(RiskPolicy.Default);
        builder.Add(Row(1, 3, 0.1, "APPROVE", null, 0, null));

        var split = builder.Build(Start, Start.AddDays(1), 0).Split;

        Assert.Empty(split.Arms);
        Assert.Null(split.ApprovalRateDifference);
        Assert.Null(split.BadRateDifference);
    }

    private static double[] Loan(double amount, double collateral)
    {
        var features = new double[LoanFeatures.Count];
        features[LoanFeatures.LoanAmount.Index] = amount;
        features[LoanFeatures.CollateralValueUsd.Index] = collateral;
        return features;
    }
}

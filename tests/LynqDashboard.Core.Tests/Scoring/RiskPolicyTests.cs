using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Tests.Scoring;

/// <summary>The default policy for a calibrated PD: its band edges, each hard rule, and the reason every answer carries.</summary>
public sealed class RiskPolicyTests
{
    private static readonly RiskPolicy Policy = RiskPolicy.Default;

    [Theory]
    [InlineData(0.0, RiskLevel.VERY_LOW, RecommendedAction.APPROVE)]
    [InlineData(0.0199, RiskLevel.VERY_LOW, RecommendedAction.APPROVE)]
    [InlineData(0.02, RiskLevel.LOW, RecommendedAction.APPROVE)]
    [InlineData(0.0499, RiskLevel.LOW, RecommendedAction.APPROVE)]
    [InlineData(0.05, RiskLevel.MEDIUM, RecommendedAction.APPROVE_WITH_CONDITIONS)]
    [InlineData(0.10, RiskLevel.HIGH, RecommendedAction.MANUAL_REVIEW)]
    [InlineData(0.1999, RiskLevel.HIGH, RecommendedAction.MANUAL_REVIEW)]
    [InlineData(0.20, RiskLevel.VERY_HIGH, RecommendedAction.REJECT)]
    [InlineData(0.245, RiskLevel.VERY_HIGH, RecommendedAction.REJECT)]
    [InlineData(1.0, RiskLevel.VERY_HIGH, RecommendedAction.REJECT)]
    public void Decide_WellCollateralisedApplicant_FollowsTheBand(double pd, RiskLevel level, RecommendedAction action)
    {
        var decision = Policy.Decide(pd, loanAmount: 1_000, collateralValueUsd: 5_000, fraudScore: 0);

        Assert.Equal(level, decision.Band.Level);
        Assert.Equal(action, decision.Action);
        Assert.StartsWith($"band {level}:", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_NoCollateral_RejectsBecauseTheMaximumLoanIsZero()
    {
        // The applicant: $50,000, no collateral, PD 10.7 %; the original policy approved it with a $0 maximum.
        var decision = Policy.Decide(0.107, loanAmount: 50_000, collateralValueUsd: 0, fraudScore: 0.8);

        Assert.Equal(RecommendedAction.REJECT, decision.Action);
        Assert.Equal(0, decision.MaxLoanAmount);
        Assert.Contains("maximum loan is $0", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(RecommendedAction.APPROVE, RiskPolicy.LynqOriginal.Decide(0.107, 50_000, 0, 0.8).Action);
    }

    [Fact]
    public void Decide_LoanAboveTheMaximum_ApprovesWithConditionsAtTheMaximum()
    {
        var decision = Policy.Decide(0.01, loanAmount: 1_000, collateralValueUsd: 1_100, fraudScore: 0);

        Assert.Equal(RecommendedAction.APPROVE_WITH_CONDITIONS, decision.Action);
        Assert.Equal(880, decision.MaxLoanAmount); // 1,100 × 0.8 × 1.0
        Assert.Contains("above the maximum of $880.00", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_CollateralRatioBelowOne_IsAtLeastAManualReview()
    {
        var decision = Policy.Decide(0.01, loanAmount: 1_000, collateralValueUsd: 900, fraudScore: 0);

        Assert.Equal(RecommendedAction.MANUAL_REVIEW, decision.Action);
        Assert.Contains("collateral ratio 0.90 below 1.00", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_HighFraudScore_IsAtLeastAManualReview_ButNeverKinderThanTheBand()
    {
        var review = Policy.Decide(0.01, loanAmount: 1_000, collateralValueUsd: 5_000, fraudScore: 0.7);
        var reject = Policy.Decide(0.30, loanAmount: 1_000, collateralValueUsd: 5_000, fraudScore: 0.9);

        Assert.Equal(RecommendedAction.MANUAL_REVIEW, review.Action);
        Assert.Contains("fraud score 0.70", review.Reason, StringComparison.Ordinal);
        Assert.Equal(RecommendedAction.REJECT, reject.Action);
        Assert.StartsWith("band VERY_HIGH", reject.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DeclineCutoff_IsWhereApprovalsEnd()
    {
        Assert.Equal(0.10, Policy.DeclineCutoff);
        Assert.Equal(0.50, RiskPolicy.LynqOriginal.DeclineCutoff);
    }

    [Fact]
    public void Validate_AHigherBandWithAKinderAction_NamesTheBand()
    {
        var lenient = Policy with { Bands = [new(RiskLevel.LOW, 0.5, RecommendedAction.REJECT, 0, 1), new(RiskLevel.HIGH, 1, RecommendedAction.APPROVE, 0, 1)] };

        Assert.Contains(lenient.Validate(), e => e.Key == "Bands:1:Action");
        Assert.Empty(Policy.Validate());
        Assert.Empty(RiskPolicy.LynqOriginal.Validate());
    }

    [Fact]
    public void Score_ImpossibleHistory_IsScoredWithAWarning()
    {
        var impossible = LoanApplication.Example with { PreviousLoans = 1, SuccessfulRepayments = 3, Defaults = 1 };

        var result = new CreditScorer().Score(impossible, model: null);

        var warning = Assert.Single(result.Warnings);
        Assert.Equal("previous_loans", warning.Field);
        Assert.Contains("impossible", warning.Message, StringComparison.Ordinal);
        Assert.Empty(new CreditScorer().Score(LoanApplication.Example, model: null).Warnings);
        Assert.Equal(Policy.Version, result.PolicyVersion);
    }
}

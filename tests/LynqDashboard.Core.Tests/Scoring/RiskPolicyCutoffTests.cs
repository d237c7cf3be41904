using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Tests.Scoring;

/// <summary>Moving a policy's decline cutoff (the Policy page's proposals) keeps the bands in order and every other field as it was.</summary>
public sealed class RiskPolicyCutoffTests
{
    // Default bands end at 2, 5, 10 (last approving: MEDIUM), 20 and 100 %.
    [Theory]
    [InlineData(0.08, new[] { 0.02, 0.05, 0.08, 0.20, 1.0 })] // fits between LOW and HIGH: only MEDIUM moves
    [InlineData(0.03, new[] { 0.006, 0.015, 0.03, 0.20, 1.0 })] // below LOW's end: VERY_LOW..MEDIUM squeezed by 0.03 / 0.10
    [InlineData(0.25, new[] { 0.02, 0.05, 0.25, 0.333333, 1.0 })] // above HIGH's end: HIGH stretched to 0.25 + 0.10 × 0.75 / 0.90
    public void WithDeclineCutoff_MovesTheLastApprovingBandsEnd_AndStaysValid(double cutoff, double[] expected)
    {
        var moved = RiskPolicy.Default.WithDeclineCutoff(cutoff);

        Assert.Equal(expected, moved.Bands.Select(b => b.UpperPd));
        Assert.Equal(cutoff, moved.DeclineCutoff);
        Assert.Empty(moved.Validate());
        Assert.Equal(RiskPolicy.Default.Bands.Select(b => (b.Level, b.Action, b.RatePremium)), moved.Bands.Select(b => (b.Level, b.Action, b.RatePremium)));
        Assert.Equal((RiskPolicy.Default.Name, RiskPolicy.Default.MinCollateralRatio), (moved.Name, moved.MinCollateralRatio));
    }

    [Fact]
    public void WithDeclineCutoff_EveryBandApproves_IsUnchanged()
    {
        var lenient = RiskPolicy.Default with { Bands = [new(RiskLevel.LOW, 0.5, RecommendedAction.APPROVE, 0, 1), new(RiskLevel.MEDIUM, 1, RecommendedAction.APPROVE_WITH_CONDITIONS, 5, 1)] };

        Assert.Same(lenient, lenient.WithDeclineCutoff(0.1));
    }
}

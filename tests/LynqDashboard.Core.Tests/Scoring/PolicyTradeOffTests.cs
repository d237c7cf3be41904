using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Tests.Scoring;

/// <summary>
/// Five applicants worked out by hand (the LYNQ example applicant, fraud score 0, collateral ratio 1.5, except where
/// said), replayed under the calibrated default policy (bands 2/5/10/20 %, cap 80 % of collateral × the band's multiplier).
/// </summary>
public sealed class PolicyTradeOffTests
{
    //                         PD     defaulted  collateral
    private static readonly (float Pd, bool Bad, double Collateral)[] Rows =
    [
        (0.01f, false, 1_500), // VERY_LOW → APPROVE, lends 1,000 (max 1,200)
        (0.04f, true, 1_500),  // LOW → APPROVE, lends 1,000
        (0.08f, false, 1_500), // MEDIUM → APPROVE_WITH_CONDITIONS at the max 1,500 × 0.8 × 0.75 = 900
        (0.30f, true, 1_500),  // VERY_HIGH → REJECT
        (0.01f, false, 0),     // VERY_LOW but no collateral: the max is $0 → REJECT by rule
    ];

    private static TestPredictions Book(bool withFeatures = true)
    {
        var features = new List<float>();
        foreach (var row in Rows)
        {
            var applicant = LoanApplication.Example.With(LoanFeatures.CollateralValueUsd, row.Collateral);
            features.AddRange(LoanFeatures.All.Select(f => (float)applicant.Get(f)));
        }

        return new TestPredictions([.. Rows.Select(r => r.Pd)], [.. Rows.Select(r => r.Bad)], withFeatures ? [.. features] : null);
    }

    [Fact]
    public void Evaluate_ReplaysBandsCapsAndHardRules()
    {
        var outcome = new PolicyTradeOff(Book()).Evaluate(RiskPolicy.Default);

        Assert.Equal(5, outcome.Applicants);
        Assert.Equal(3, outcome.Approved);
        Assert.Equal(0.6, outcome.ApprovalRate, 12);
        Assert.Equal(1.0 / 3, outcome.BadRateAmongApproved, 12);
        Assert.Equal(0.4, outcome.ApproveEveryoneBadRate, 12);
        Assert.Equal(2_900, outcome.ApprovedExposure, 6);
        Assert.Equal((0.01 * 1_000) + (0.04 * 1_000) + (0.08 * 900), outcome.ExpectedLoss, 3); // 122, PDs as stored floats
        Assert.Equal(1_000, outcome.RealisedLoss, 6);
        Assert.Equal(122 / 2_900.0, outcome.ExpectedLossRate, 5);
        Assert.Equal(0, outcome.ManualReviews);
    }

    [Fact]
    public void Evaluate_WithoutStoredFeatures_UsesTheBandsOnly()
    {
        var trade = new PolicyTradeOff(Book(withFeatures: false));

        var outcome = trade.Evaluate(RiskPolicy.Default);

        Assert.False(trade.HasFeatures);
        Assert.Equal(4, outcome.Approved); // the zero-collateral row is approved: its collateral is not known
        Assert.Equal(4, outcome.ApprovedExposure, 6);
    }

    [Fact]
    public void AtCutoff_ApprovesEveryoneBelowIt_WithoutRules()
    {
        var outcome = new PolicyTradeOff(Book()).AtCutoff(0.05);

        Assert.Equal(3, outcome.Approved); // both 1 % rows and the 4 % row
        Assert.Equal(1.0 / 3, outcome.BadRateAmongApproved, 12);
        Assert.Equal(3_000, outcome.ApprovedExposure, 6);
        Assert.Equal(60, outcome.ExpectedLoss, 3);
    }

    [Theory]
    [InlineData(0.0, 0.04)]  // only the two 1 % rows are clean
    [InlineData(0.25, 0.30)] // up to 8 %: one bad in four
    [InlineData(0.5, 1.0)]   // everyone: two bad in five
    public void CutoffForBadRate_IsTheHighestCutoffThatKeepsTheTarget(double target, double cutoff)
    {
        var trade = new PolicyTradeOff(Book());

        var found = trade.CutoffForBadRate(target);

        Assert.Equal(cutoff, found, 6);
        Assert.True(trade.AtCutoff(found).BadRateAmongApproved <= target);
    }

    [Fact]
    public void CutoffForApprovalRate_ApprovesThatShare()
    {
        var trade = new PolicyTradeOff(Book());

        Assert.Equal(0.04, trade.CutoffForApprovalRate(0.4), 6);
        Assert.Equal(2, trade.AtCutoff(trade.CutoffForApprovalRate(0.4)).Approved);
        Assert.Equal(1.0, trade.CutoffForApprovalRate(1));
    }

    [Fact]
    public void Curve_RunsFromNoneToEveryone()
    {
        var curve = new PolicyTradeOff(Book()).Curve(6);

        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1.0], curve.Select(p => Math.Round(p.ApprovalRate, 6)));
        Assert.Equal(0, curve[0].BadRateAmongApproved);
        Assert.Equal(1.0 / 3, curve[3].BadRateAmongApproved, 12);
        Assert.Equal(60, curve[3].ExpectedLoss, 3);
        Assert.Equal(0.02, curve[3].ExpectedLossRate, 5);
        Assert.Equal(0.4, curve[5].BadRateAmongApproved, 12);
        Assert.Equal(1.0, curve[5].Cutoff);
    }
}

using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Tests.Shared;

namespace LynqDashboard.Core.Tests.Scoring;

public sealed class CreditScorerTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    // The loan cap on 1,500 of collateral at each level, worked by hand (both policies): 80 %, × 0.75 for MEDIUM, × 0.5 above.
    private static readonly Dictionary<RiskLevel, double> CapOnFifteenHundredAt = new()
    {
        [RiskLevel.VERY_LOW] = 1200, [RiskLevel.LOW] = 1200, [RiskLevel.MEDIUM] = 900, [RiskLevel.HIGH] = 600, [RiskLevel.VERY_HIGH] = 600,
    };

    [Theory]
    [InlineData(0.0, RiskLevel.VERY_LOW, RecommendedAction.APPROVE, 5.0)]
    [InlineData(0.0999, RiskLevel.VERY_LOW, RecommendedAction.APPROVE, 5.0)]
    [InlineData(0.10, RiskLevel.LOW, RecommendedAction.APPROVE, 7.0)]
    [InlineData(0.25, RiskLevel.MEDIUM, RecommendedAction.APPROVE_WITH_CONDITIONS, 10.0)]
    [InlineData(0.50, RiskLevel.HIGH, RecommendedAction.MANUAL_REVIEW, 15.0)]
    [InlineData(0.75, RiskLevel.VERY_HIGH, RecommendedAction.REJECT, 20.0)]
    [InlineData(1.0, RiskLevel.VERY_HIGH, RecommendedAction.REJECT, 20.0)]
    public void LynqOriginalPolicy_BandEdges_FollowTheOriginalLynqValues(double pd, RiskLevel level, RecommendedAction action, double rate)
    {
        var band = RiskPolicy.LynqOriginal.BandFor(pd);
        Assert.Equal(level, band.Level);
        Assert.Equal(action, band.Action);
        Assert.Equal(rate, RiskPolicy.LynqOriginal.BaseRatePercent + band.RatePremium);
        Assert.Equal(1, RiskPolicy.LynqOriginal.Version);
    }

    [Fact]
    public void Policy_UnorderedBands_NamesTheKey()
    {
        var policy = RiskPolicy.Default with
        {
            Bands = [new(RiskLevel.LOW, 0.5, RecommendedAction.APPROVE, 0, 1), new(RiskLevel.HIGH, 0.3, RecommendedAction.REJECT, 0, 1)],
        };
        Assert.Contains(policy.Validate(), e => e.Key == "Bands:1:UpperPd");
        Assert.Empty(RiskPolicy.Default.Validate());
    }

    [Theory]
    [InlineData(0.0, 1000)]
    [InlineData(1.0, 100)]
    [InlineData(0.08, 928)]
    [InlineData(0.5, 550)]
    [InlineData(0.0005, 1000)] // 999.55 rounds up
    [InlineData(0.0006, 999)]  // 999.46 rounds down
    [InlineData(-0.3, 1000)]   // out of range: held to 0–1 first
    [InlineData(1.7, 100)]
    public void CreditScoreFor_FollowsTheContractFormula(double pd, int score)
    {
        Assert.Equal(score, CreditScorer.CreditScoreFor(pd));
    }

    [Fact]
    public void CreditScoreFor_FallsAsPdRises_AndStaysWithin100To1000()
    {
        var scores = Enumerable.Range(0, 10_001).Select(i => CreditScorer.CreditScoreFor(i / 10_000.0)).ToList();

        Assert.All(scores, s => Assert.InRange(s, 100, 1000));
        Assert.True(scores.Zip(scores.Skip(1)).All(pair => pair.Second <= pair.First), "a higher PD got a higher credit score");
        Assert.Equal(901, scores.Distinct().Count()); // every whole score from 1000 down to 100 is reachable
    }

    // The fallback worked by hand: logit = −2.4 + 0.04 × (60 − reputation) + 0.8 × defaults − 1.5 × (collateral ratio − 1)
    // + 0.7 for a wallet under 90 days, PD = 1 / (1 + e^−logit); loans of 1,000. Then the policy's band, rate (5 % + the
    // band's premium) and cap (80 % of the collateral, × 0.75 for MEDIUM, × 0.5 above). Version 1 is the LYNQ original
    // (bands at 10/25/50/75 %, no hard rules), version 2 the default (bands at 2/5/10/20 %, hard rules on top).
    [Theory]
    [InlineData(1, 0, 75, 1500, 365, 0.022977, 979, RiskLevel.VERY_LOW, RecommendedAction.APPROVE, 5.0, 1200.0)]                // logit −3.75
    [InlineData(1, 1, 60, 1000, 365, 0.167982, 849, RiskLevel.LOW, RecommendedAction.APPROVE, 7.0, 800.0)]                      // −1.6
    [InlineData(1, 2, 60, 1000, 365, 0.310026, 721, RiskLevel.MEDIUM, RecommendedAction.APPROVE_WITH_CONDITIONS, 10.0, 600.0)] // −0.8
    [InlineData(1, 3, 35, 1000, 365, 0.731059, 342, RiskLevel.HIGH, RecommendedAction.MANUAL_REVIEW, 15.0, 400.0)]             // 1.0
    [InlineData(1, 5, 10, 0, 30, 0.996982, 103, RiskLevel.VERY_HIGH, RecommendedAction.REJECT, 20.0, 0.0)]                     // 5.8
    [InlineData(2, 0, 75, 1500, 365, 0.022977, 979, RiskLevel.LOW, RecommendedAction.APPROVE, 7.0, 1200.0)]                     // −3.75
    [InlineData(2, 2, 60, 1000, 365, 0.310026, 721, RiskLevel.VERY_HIGH, RecommendedAction.REJECT, 20.0, 400.0)]                // −0.8
    [InlineData(2, 0, 100, 950, 365, 0.019360, 983, RiskLevel.VERY_LOW, RecommendedAction.MANUAL_REVIEW, 5.0, 760.0)]           // −3.925; ratio 0.95 < 1
    public void Score_WithoutModel_AnswersHandWorkedFallbackValues(
        int policyVersion, int defaults, int reputation, double collateral, int walletAgeDays,
        double pd, int creditScore, RiskLevel level, RecommendedAction action, double rate, double cap)
    {
        var applicant = LoanApplication.Example with { Defaults = defaults, ReputationScore = reputation, CollateralValueUsd = collateral, WalletAgeDays = walletAgeDays };
        var scorer = policyVersion == 1 ? new CreditScorer(RiskPolicy.LynqOriginal) : new CreditScorer();

        var result = scorer.Score(applicant, model: null);

        Assert.True(result.IsFallback);
        Assert.Equal(CreditScorer.FallbackVersion, result.ModelVersion);
        Assert.Equal(policyVersion, result.PolicyVersion);
        Assert.Empty(result.TopFactors);
        Assert.Equal(pd, result.DefaultProbability, 6);
        Assert.Equal(creditScore, result.CreditScore);
        Assert.Equal((level, action), (result.RiskLevel, result.RecommendedAction));
        Assert.Equal(rate, result.InterestRateSuggestion, 9);
        Assert.Equal(cap, result.MaxLoanAmount, 9);
    }

    [Fact]
    public void Score_WithModel_ExplainsWithOrderedTopFactors()
    {
        using var folder = new TempFolder();
        ModelArtifacts.Write(fixture.Model, "3", "t", new DatasetLineage("d.csv", "x", 1, null), folder.File("v3"));
        var model = ScoringModel.Load(folder.File("v3"));
        var risky = LoanApplication.Example with { ReputationScore = 15, Defaults = 2, SuccessfulRepayments = 0, WalletAgeDays = 10 };

        var safe = new CreditScorer().Score(LoanApplication.Example, model);
        var result = new CreditScorer().Score(risky, model);

        Assert.False(result.IsFallback);
        Assert.Equal("3", result.ModelVersion);
        Assert.True(result.DefaultProbability > safe.DefaultProbability);
        Assert.InRange(result.TopFactors.Count, 3, CreditScorer.MaxFactors);
        Assert.Equal(result.TopFactors.OrderByDescending(f => Math.Abs(f.Contribution)).Select(f => f.Feature), result.TopFactors.Select(f => f.Feature));
        var reputation = Assert.Single(result.TopFactors, f => f.Feature == "reputation_score");
        Assert.Equal("negative", reputation.Impact);
        Assert.True(reputation.Contribution > 0);
        Assert.Equal(result.RiskLevel, RiskPolicy.Default.BandFor(result.DefaultProbability).Level);
        Assert.Equal(1500, risky.CollateralValueUsd);
        Assert.Equal(CapOnFifteenHundredAt[result.RiskLevel], result.MaxLoanAmount, 9);
    }

    [Fact]
    public void Result_Json_UsesTheLynqContractNamesAndValues()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new CreditScorer().Score(LoanApplication.Example, null), Core.Serialization.LynqJson.Compact);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var root = document.RootElement;
        string[] fields = ["credit_score", "fraud_score", "anomaly_score", "risk_level", "default_probability", "recommended_action",
            "interest_rate_suggestion", "max_loan_amount", "confidence_score", "top_factors", "reason_codes", "reason_catalogue_version", "model_version", "processing_time_ms", "is_fallback",
            "decision_reason", "policy_version", "warnings"];
        Assert.Equal(fields.Order(StringComparer.Ordinal), root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Matches("^(VERY_LOW|LOW|MEDIUM|HIGH|VERY_HIGH)$", root.GetProperty("risk_level").GetString());
        Assert.Matches("^(APPROVE|APPROVE_WITH_CONDITIONS|MANUAL_REVIEW|REJECT)$", root.GetProperty("recommended_action").GetString());
    }

    [Fact]
    public void RiskSignals_YoungWalletThinHistoryAndUnderCollateral_RaiseFraud()
    {
        var suspicious = LoanApplication.Example with { WalletAgeDays = 3, TotalTransactions = 2, TotalVolumeUsd = 10, CollateralValueUsd = 500 };
        Assert.Equal(0.0, RiskSignals.FraudScore(LoanApplication.Example));
        Assert.Equal(1.0, RiskSignals.FraudScore(suspicious), 6);
        Assert.True(RiskSignals.AnomalyScore(LoanApplication.Example with { SuccessfulRepayments = 5, PreviousLoans = 1 }) >= 0.4);
    }
}

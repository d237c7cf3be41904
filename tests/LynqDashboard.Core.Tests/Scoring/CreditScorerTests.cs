using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Tests.Shared;

namespace LynqDashboard.Core.Tests.Scoring;

public sealed class CreditScorerTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
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
    public void CreditScoreFor_FollowsTheContractFormula(double pd, int score)
    {
        Assert.Equal(score, CreditScorer.CreditScoreFor(pd));
    }

    [Fact]
    public void Score_WithoutModel_AnswersFromTheFallback()
    {
        var result = new CreditScorer().Score(LoanApplication.Example, model: null);

        Assert.True(result.IsFallback);
        Assert.Equal(CreditScorer.FallbackVersion, result.ModelVersion);
        Assert.InRange(result.DefaultProbability, 0.01, 0.2);
        Assert.Empty(result.TopFactors);
        Assert.Equal(CreditScorer.CreditScoreFor(result.DefaultProbability), result.CreditScore);
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
        Assert.Equal(Math.Round(risky.CollateralValueUsd * 0.8 * RiskPolicy.Default.BandFor(result.DefaultProbability).LoanCapMultiplier, 2), result.MaxLoanAmount);
    }

    [Fact]
    public void Result_Json_UsesTheLynqContractNamesAndValues()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new CreditScorer().Score(LoanApplication.Example, null), Core.Serialization.LynqJson.Compact);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var root = document.RootElement;
        string[] fields = ["credit_score", "fraud_score", "anomaly_score", "risk_level", "default_probability", "recommended_action",
            "interest_rate_suggestion", "max_loan_amount", "confidence_score", "top_factors", "model_version", "processing_time_ms", "is_fallback",
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

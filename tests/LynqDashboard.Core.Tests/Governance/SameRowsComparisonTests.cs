using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Tests.Shared;

namespace LynqDashboard.Core.Tests.Governance;

/// <summary>Two models on the same rows, here the trained fixture model's own test split scored both ways.</summary>
public sealed class SameRowsComparisonTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void Measure_AModelAgainstItself_HasPsiZeroNoActionChangesAndEqualAucs()
    {
        var m = fixture.Model;

        var set = SameRowsComparison.Measure("itself", (2, m.TestProbabilities), (2, m.TestProbabilities), m.TestLabels, m.TestFeatures, RiskPolicy.Default);

        Assert.Equal(0, set.ScorePsi);
        Assert.Empty(set.ActionChanges);
        Assert.Equal(0, set.AucDifference);
        Assert.Equal(1, set.AucDifferencePValue);
        Assert.Equal(m.Metrics.RocAuc, set.Candidate.RocAuc, 1e-9);
        Assert.Equal(m.Metrics.Ks, set.Candidate.Ks, 1e-9);
        Assert.Equal(m.Metrics.CalibrationError, set.Candidate.CalibrationError, 1e-9);
        Assert.Equal(m.TestLabels.Count(l => l), set.Defaults);
    }

    [Fact]
    public void Measure_PdsRaisedForEveryone_CountsTheRowsThatChangeActionAtThePolicy()
    {
        var m = fixture.Model;
        var riskier = m.TestProbabilities.Select(p => p + ((1 - p) * 0.3f)).ToArray();

        var set = SameRowsComparison.Measure("raised", (3, riskier), (2, m.TestProbabilities), m.TestLabels, m.TestFeatures, RiskPolicy.Default);

        var production = new PolicyTradeOff(new TestPredictions(m.TestProbabilities, m.TestLabels, m.TestFeatures)).Actions(RiskPolicy.Default);
        var candidate = new PolicyTradeOff(new TestPredictions(riskier, m.TestLabels, m.TestFeatures)).Actions(RiskPolicy.Default);
        Assert.Equal(production.Zip(candidate).Count(p => p.First != p.Second), set.ChangedActions);
        Assert.True(set.ChangedActions > 0);
        Assert.True(set.ScorePsi > 0.25, $"PSI {set.ScorePsi}");
        Assert.All(set.ActionChanges, c => Assert.NotEqual(c.Production, c.Candidate));

        // Raising every PD the same monotone way keeps the order, so the ranking (AUC) is the same up to float rounding.
        Assert.Equal(set.Production.RocAuc, set.Candidate.RocAuc, 3);
    }
}

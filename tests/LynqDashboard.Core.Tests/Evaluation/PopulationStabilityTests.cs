using LynqDashboard.Core.Evaluation;

namespace LynqDashboard.Core.Tests.Evaluation;

public sealed class PopulationStabilityTests
{
    [Fact]
    public void Index_TheSameScores_IsZero()
    {
        var random = new Random(1);
        var scores = Enumerable.Range(0, 5_000).Select(_ => (float)random.NextDouble()).ToArray();

        Assert.Equal(0, PopulationStability.Index(scores, scores));
    }

    [Fact]
    public void Index_ShiftedScores_MatchesTheHandComputedSum()
    {
        // Reference 0..99: deciles are 0–9, 10–19, …; every actual score sits in the lowest two deciles, half each.
        var expected = Enumerable.Range(0, 100).Select(i => (float)i).ToArray();
        var actual = Enumerable.Range(0, 100).Select(i => (float)(i % 20)).ToArray();

        var psi = PopulationStability.Index(expected, actual);

        var hand = (2 * (0.5 - 0.1) * Math.Log(0.5 / 0.1)) + (8 * (PopulationStability.MinShare - 0.1) * Math.Log(PopulationStability.MinShare / 0.1));
        Assert.Equal(hand, psi, 10);
        Assert.True(psi > 0.25);
    }

    [Fact]
    public void Index_HeavilyTiedReference_MergesTiedDecilesInsteadOfFailing()
    {
        var expected = Enumerable.Repeat(0.05f, 900).Concat(Enumerable.Range(0, 100).Select(i => 0.1f + (i / 1000f))).ToArray();

        Assert.Equal(0, PopulationStability.Index(expected, expected));
        Assert.True(PopulationStability.Index(expected, [.. expected.Select(p => p + 0.5f)]) > 1);
    }
}

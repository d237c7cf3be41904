using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Monitoring;

namespace LynqDashboard.Core.Tests.Monitoring;

public sealed class BaselineBinsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void From_ContinuousRows_CutsDecilesOfTenPercentEach()
    {
        var rows = Rows(10_000, seed: 1);

        var baseline = BaselineBins.From(3, rows, At);

        Assert.Equal(9, baseline.Score.Edges.Count);
        Assert.All(baseline.Score.Shares, share => Assert.Equal(0.1, share, 3));
        Assert.Equal(1, baseline.Score.Shares.Sum(), 12);
        Assert.Equal(LoanFeatures.Names.Order(StringComparer.Ordinal), baseline.Features.Keys.Order(StringComparer.Ordinal));
        Assert.All(baseline.Features.Values, bins => Assert.Equal(1, bins.Shares.Sum(), 12));
        Assert.Equal("test split, 10,000 rows", baseline.Source);
    }

    [Fact]
    public void From_DiscreteFeature_TiedValuesShareABin()
    {
        var rows = Rows(1_000, seed: 2);

        var term = BaselineBins.From(3, rows, At).Features[LoanFeatures.Names[6]];

        // Four distinct values (1, 3, 6, 12) can make at most four edges-worth of bins, each edge a value itself.
        Assert.True(term.Edges.Count <= 4);
        Assert.All(term.Edges, edge => Assert.Contains(edge, new[] { 1.0, 3, 6, 12 }));
        Assert.Equal(term.Edges.Count + 1, term.Shares.Count);
        Assert.Equal(1, term.Shares.Sum(), 12);
    }

    [Fact]
    public void From_RowsWithoutFeatures_BinsTheScoreOnlyAndSaysSo()
    {
        var rows = Rows(500, seed: 3) with { Features = null };

        var baseline = BaselineBins.From(3, rows, At);

        Assert.Empty(baseline.Features);
        Assert.Contains("PD bins only", baseline.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void StabilityIndex_OverFrozenBins_EqualsTheOldPopulationStabilityOnTheSameScores()
    {
        var random = new Random(4);
        var expected = Enumerable.Range(0, 3_000).Select(_ => (float)Math.Round(random.NextDouble() * random.NextDouble(), 3)).ToArray();
        var actual = Enumerable.Range(0, 2_000).Select(_ => (float)Math.Round(random.NextDouble(), 3)).ToArray();

        var viaFrozenBins = FrozenIndex(BaselineBins.From(1, new TestPredictions(expected, new bool[expected.Length], null), At).Score, actual);

        Assert.Equal(OldPopulationStability(expected, actual), viaFrozenBins, 12);
        Assert.Equal(OldPopulationStability(expected, actual), PopulationStability.Index(expected, actual), 12);
        Assert.True(viaFrozenBins > 0.1);
    }

    internal static TestPredictions Rows(int count, int seed)
    {
        var random = new Random(seed);
        var features = new float[count * LoanFeatures.Count];
        var pds = new float[count];
        for (var r = 0; r < count; r++)
        {
            var row = SnapshotBuilderTests.Applicant(random, drift: false);
            for (var f = 0; f < LoanFeatures.Count; f++)
            {
                features[(r * LoanFeatures.Count) + f] = (float)row[f];
            }

            pds[r] = (float)SnapshotBuilderTests.TruePd(row);
        }

        return new TestPredictions(pds, new bool[count], features);
    }

    private static double FrozenIndex(FrozenBins bins, float[] actual)
    {
        var edges = bins.Edges.ToArray();
        return EqualCountBins.StabilityIndex(bins.Shares.ToArray(), EqualCountBins.Shares([.. actual.Select(a => (double)a)], edges));
    }

    // PopulationStability.Index as it was written before the bins moved to EqualCountBins, kept here as the reference.
    private static double OldPopulationStability(float[] expected, float[] actual)
    {
        var sorted = expected.ToArray();
        Array.Sort(sorted);
        var edges = new List<float>();
        for (var b = 1; b < 10; b++)
        {
            var edge = sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling((double)b * sorted.Length / 10) - 1)];
            if (edges.Count == 0 || edge > edges[^1])
            {
                edges.Add(edge);
            }
        }

        double[] Shares(float[] scores)
        {
            var counts = new double[edges.Count + 1];
            foreach (var s in scores)
            {
                var at = edges.BinarySearch(s);
                counts[at >= 0 ? at : ~at]++;
            }

            return [.. counts.Select(c => c / scores.Length)];
        }

        var (e, a) = (Shares(expected), Shares(actual));
        return e.Select((x, b) => (Math.Max(1e-6, a[b]) - Math.Max(1e-6, x)) * Math.Log(Math.Max(1e-6, a[b]) / Math.Max(1e-6, x))).Sum();
    }
}

namespace LynqDashboard.Core.Evaluation;

/// <summary>
/// Population stability index of one set of scores against a reference: Σ (actual − expected) · ln(actual ÷ expected) over
/// the reference's deciles. Below 0.1 is usually read as stable, 0.1–0.25 as a shift worth a look, above 0.25 as a different population.
/// </summary>
public static class PopulationStability
{
    /// <summary>A bin's share is floored here so an empty bin adds a large, finite term instead of infinity.</summary>
    public const double MinShare = 1e-6;

    /// <param name="expected">The reference scores (production's PDs): their deciles are the bins.</param>
    /// <param name="actual">The scores compared with them (the candidate's PDs, usually on the same rows).</param>
    /// <param name="bins">How many equal-count bins of <paramref name="expected"/> (default 10); tied values share a bin, so there may be fewer.</param>
    public static double Index(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, int bins = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        if (expected.Length == 0 || actual.Length == 0)
        {
            throw new ArgumentException("The population stability index needs scores on both sides.");
        }

        var edges = Edges(expected, bins);
        var expectedShares = Shares(expected, edges);
        var actualShares = Shares(actual, edges);
        double psi = 0;
        for (var b = 0; b < expectedShares.Length; b++)
        {
            var (e, a) = (Math.Max(MinShare, expectedShares[b]), Math.Max(MinShare, actualShares[b]));
            psi += (a - e) * Math.Log(a / e);
        }

        return psi;
    }

    // Upper edges of every bin but the last: a score at or below edges[b] (and above edges[b − 1]) falls in bin b.
    private static float[] Edges(ReadOnlySpan<float> expected, int bins)
    {
        var sorted = expected.ToArray();
        Array.Sort(sorted);
        var edges = new List<float>(bins - 1);
        for (var b = 1; b < bins; b++)
        {
            var edge = sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling((double)b * sorted.Length / bins) - 1)];
            if (edges.Count == 0 || edge > edges[^1])
            {
                edges.Add(edge);
            }
        }

        return [.. edges];
    }

    private static double[] Shares(ReadOnlySpan<float> scores, float[] edges)
    {
        var counts = new double[edges.Length + 1];
        foreach (var score in scores)
        {
            var at = Array.BinarySearch(edges, score);
            counts[at >= 0 ? at : ~at]++;
        }

        for (var b = 0; b < counts.Length; b++)
        {
            counts[b] /= scores.Length;
        }

        return counts;
    }
}

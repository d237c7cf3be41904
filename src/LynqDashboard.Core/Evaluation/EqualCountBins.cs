namespace LynqDashboard.Core.Evaluation;

/// <summary>
/// Equal-count bins of a reference distribution and the stability index of a sample against them: the one place the
/// edges, the bin a value falls in and the PSI formula are written, used by <see cref="PopulationStability"/> (two sets of
/// scores) and by monitoring (live decisions against a version's frozen training bins).
/// </summary>
public static class EqualCountBins
{
    /// <summary>A bin's share is floored here so an empty bin adds a large, finite term instead of infinity.</summary>
    public const double MinShare = 1e-6;

    /// <summary>
    /// Upper edges of every bin but the last, from the reference values: a value at or below edges[b] (and above
    /// edges[b − 1]) falls in bin b. Tied values share a bin, so there may be fewer than <paramref name="bins"/>.
    /// </summary>
    /// <param name="reference">The reference values (not changed).</param>
    /// <param name="bins">How many equal-count bins to aim for (default 10, deciles).</param>
    public static double[] Edges(ReadOnlySpan<double> reference, int bins = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        if (reference.Length == 0)
        {
            throw new ArgumentException("Bins need at least one reference value.");
        }

        var sorted = reference.ToArray();
        Array.Sort(sorted);
        var edges = new List<double>(bins - 1);
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

    /// <summary>The bin of <paramref name="value"/> under <paramref name="edges"/> (0 … edges.Length).</summary>
    public static int BinOf(double[] edges, double value)
    {
        var at = Array.BinarySearch(edges, value);
        return at >= 0 ? at : ~at;
    }

    /// <summary>Each bin's share of <paramref name="values"/> (sums to 1; all zero for no values).</summary>
    public static double[] Shares(ReadOnlySpan<double> values, double[] edges)
    {
        var counts = new long[edges.Length + 1];
        foreach (var value in values)
        {
            counts[BinOf(edges, value)]++;
        }

        return Shares(counts);
    }

    /// <summary>Counts per bin as shares of their total.</summary>
    public static double[] Shares(ReadOnlySpan<long> counts)
    {
        long total = 0;
        foreach (var count in counts)
        {
            total += count;
        }

        var shares = new double[counts.Length];
        for (var b = 0; total > 0 && b < counts.Length; b++)
        {
            shares[b] = (double)counts[b] / total;
        }

        return shares;
    }

    /// <summary>Σ (actual − expected) · ln(actual ÷ expected) over the bins, each share floored at <see cref="MinShare"/>.</summary>
    public static double StabilityIndex(ReadOnlySpan<double> expectedShares, ReadOnlySpan<double> actualShares)
    {
        if (expectedShares.Length != actualShares.Length)
        {
            throw new ArgumentException($"The reference has {expectedShares.Length} bins but the sample {actualShares.Length}; both must be counted in the same bins.");
        }

        double psi = 0;
        for (var b = 0; b < expectedShares.Length; b++)
        {
            var (e, a) = (Math.Max(MinShare, expectedShares[b]), Math.Max(MinShare, actualShares[b]));
            psi += (a - e) * Math.Log(a / e);
        }

        return psi;
    }
}

namespace LynqDashboard.Core.Evaluation;

/// <summary>
/// Population stability index of one set of scores against a reference: Σ (actual − expected) · ln(actual ÷ expected) over
/// the reference's deciles. Below 0.1 is usually read as stable, 0.1–0.25 as a shift worth a look, above 0.25 as a different population.
/// The bins and the formula are <see cref="EqualCountBins"/>'s, shared with monitoring's frozen training bins.
/// </summary>
public static class PopulationStability
{
    /// <summary>A bin's share is floored here so an empty bin adds a large, finite term instead of infinity.</summary>
    public const double MinShare = EqualCountBins.MinShare;

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

        var reference = Widen(expected);
        var edges = EqualCountBins.Edges(reference, bins);
        return EqualCountBins.StabilityIndex(EqualCountBins.Shares(reference, edges), EqualCountBins.Shares(Widen(actual), edges));
    }

    // A float widens to the same value as a double, so bins cut on doubles place every score where float bins did.
    private static double[] Widen(ReadOnlySpan<float> scores)
    {
        var values = new double[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            values[i] = scores[i];
        }

        return values;
    }
}

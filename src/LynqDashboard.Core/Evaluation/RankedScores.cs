namespace LynqDashboard.Core.Evaluation;

/// <summary>
/// Scores sorted descending and grouped by equal value: the cumulative positives and negatives at each
/// distinct threshold. Every ranking metric (ROC, PR, KS) walks these groups, so ties are handled once.
/// </summary>
internal sealed class RankedScores
{
    private RankedScores(double[] thresholds, long[] positivesAbove, long[] negativesAbove, long positives, long negatives)
    {
        Thresholds = thresholds;
        PositivesAtOrAbove = positivesAbove;
        NegativesAtOrAbove = negativesAbove;
        Positives = positives;
        Negatives = negatives;
    }

    /// <summary>Distinct scores, highest first.</summary>
    public double[] Thresholds { get; }

    /// <summary>Positives with a score at or above Thresholds[i].</summary>
    public long[] PositivesAtOrAbove { get; }

    public long[] NegativesAtOrAbove { get; }

    public long Positives { get; }

    public long Negatives { get; }

    public static RankedScores Create(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        Inputs.EnsureBothClasses(scores, labels);
        var keys = new float[scores.Length];
        var flags = labels.ToArray();
        scores.CopyTo(keys);
        Array.Sort(keys, flags);

        var thresholds = new List<double>();
        var positivesAbove = new List<long>();
        var negativesAbove = new List<long>();
        long tp = 0, fp = 0;
        for (var i = keys.Length - 1; i >= 0;)
        {
            var value = keys[i];
            while (i >= 0 && keys[i] == value)
            {
                if (flags[i])
                {
                    tp++;
                }
                else
                {
                    fp++;
                }

                i--;
            }

            thresholds.Add(value);
            positivesAbove.Add(tp);
            negativesAbove.Add(fp);
        }

        return new RankedScores([.. thresholds], [.. positivesAbove], [.. negativesAbove], tp, fp);
    }
}

internal static class Inputs
{
    public static void EnsureBothClasses(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException($"There are {scores.Length:N0} scores but {labels.Length:N0} labels; they must pair up one to one.");
        }

        var positives = 0;
        foreach (var label in labels)
        {
            positives += label ? 1 : 0;
        }

        if (positives == 0 || positives == labels.Length)
        {
            throw new ArgumentException($"The metrics need both defaults and non-defaults; these {labels.Length:N0} rows hold {positives:N0} defaults.");
        }

        foreach (var score in scores)
        {
            if (!float.IsFinite(score))
            {
                throw new ArgumentException("A score is NaN or infinite; every score must be a finite number.");
            }
        }
    }
}

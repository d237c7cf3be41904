using LynqDashboard.Core.Evaluation;

namespace LynqDashboard.Core.Monitoring.Challengers;

/// <summary>An estimate with the ends of its 95 % confidence interval.</summary>
/// <param name="Estimate">The point estimate.</param>
/// <param name="Low">Lower end of the 95 % interval.</param>
/// <param name="High">Upper end.</param>
public sealed record Interval(double Estimate, double Low, double High)
{
    /// <summary>True when the interval lies wholly above or wholly below 0: a difference this large is unlikely by chance.</summary>
    public bool ExcludesZero => Low > 0 || High < 0;

    /// <summary>The mean of paired values with a normal 95 % interval (mean ± 1.96 · s/√n); null for fewer than two values.</summary>
    public static Interval? MeanOf(ReadOnlySpan<double> values)
    {
        if (values.Length < 2)
        {
            return null;
        }

        double mean = 0;
        foreach (var v in values)
        {
            mean += v;
        }

        mean /= values.Length;
        double squares = 0;
        foreach (var v in values)
        {
            squares += (v - mean) * (v - mean);
        }

        var se = Math.Sqrt(squares / (values.Length - 1) / values.Length);
        return new Interval(mean, mean - (DeLong.Z95 * se), mean + (DeLong.Z95 * se));
    }
}

/// <summary>A share of a count with its Wilson score interval, and the difference of two shares (Newcombe's hybrid score interval).</summary>
public static class Proportions
{
    /// <summary>
    /// Wilson's 95 % score interval for <paramref name="successes"/> of <paramref name="trials"/>: unlike p ± 1.96·s.e. it
    /// stays inside 0–1 and keeps its coverage for rare events (a 2 % bad rate on a few hundred loans). Null for no trials.
    /// </summary>
    public static Interval? Wilson(long successes, long trials)
    {
        if (trials <= 0)
        {
            return null;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        const double z = DeLong.Z95;
        var n = (double)trials;
        var p = successes / n;
        var denominator = 1 + (z * z / n);
        var centre = (p + (z * z / (2 * n))) / denominator;
        var half = z / denominator * Math.Sqrt((p * (1 - p) / n) + (z * z / (4 * n * n)));
        return new Interval(p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// The difference a − b of two independent shares with Newcombe's (1998, method 10) 95 % interval, built from each
    /// share's Wilson interval. Null when either side has no trials.
    /// </summary>
    public static Interval? Difference(long successesA, long trialsA, long successesB, long trialsB)
    {
        if (Wilson(successesA, trialsA) is not { } a || Wilson(successesB, trialsB) is not { } b)
        {
            return null;
        }

        var d = a.Estimate - b.Estimate;
        var low = d - Math.Sqrt(Square(a.Estimate - a.Low) + Square(b.High - b.Estimate));
        var high = d + Math.Sqrt(Square(a.High - a.Estimate) + Square(b.Estimate - b.Low));
        return new Interval(d, low, high);
    }

    private static double Square(double x) => x * x;
}

namespace LynqDashboard.Core.Monitoring.Challengers;

/// <summary>Pearson's correlation of paired values, in two passes (centred sums), so identical series give exactly 1.</summary>
public static class Correlation
{
    /// <returns>Null below two pairs or when either side never varies (the correlation is undefined).</returns>
    public static double? Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"There are {x.Length:N0} values on one side but {y.Length:N0} on the other; they must pair up.");
        }

        if (x.Length < 2 || Constant(x) || Constant(y))
        {
            return null;
        }

        var (mx, my) = (ShadowComparison.Mean(x), ShadowComparison.Mean(y));
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var (dx, dy) = (x[i] - mx, y[i] - my);
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }

    // Checked on the values, not on the centred sums: a constant 0.1 has a mean that is not exactly 0.1 and so a tiny, false variance.
    private static bool Constant(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
        {
            if (v != values[0])
            {
                return false;
            }
        }

        return true;
    }
}

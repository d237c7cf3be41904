namespace LynqDashboard.Core.Evaluation;

/// <summary>How well predicted PDs match observed default rates.</summary>
public static class Calibration
{
    /// <summary>Rows sorted by predicted PD and cut into <paramref name="bins"/> equal-count groups (the last takes the remainder).</summary>
    public static IReadOnlyList<CalibrationBin> ByDecile(ReadOnlySpan<float> probabilities, ReadOnlySpan<bool> labels, int bins = 10)
    {
        if (probabilities.Length != labels.Length)
        {
            throw new ArgumentException($"There are {probabilities.Length:N0} probabilities but {labels.Length:N0} labels.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var n = probabilities.Length;
        if (n == 0)
        {
            return [];
        }

        var keys = probabilities.ToArray();
        var flags = labels.ToArray();
        Array.Sort(keys, flags);
        var groups = Math.Min(bins, n);
        var size = n / groups;
        var result = new List<CalibrationBin>(groups);
        for (var b = 0; b < groups; b++)
        {
            var start = b * size;
            var end = b == groups - 1 ? n : start + size;
            double predicted = 0;
            var observed = 0;
            for (var i = start; i < end; i++)
            {
                predicted += keys[i];
                observed += flags[i] ? 1 : 0;
            }

            var count = end - start;
            result.Add(new CalibrationBin(b + 1, predicted / count, (double)observed / count, count));
        }

        return result;
    }

    /// <summary>Count-weighted mean of |mean predicted − observed| over the bins.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<CalibrationBin> bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        long total = 0;
        double sum = 0;
        foreach (var bin in bins)
        {
            total += bin.Count;
            sum += bin.Count * Math.Abs(bin.MeanPredicted - bin.ObservedRate);
        }

        return total == 0 ? 0 : sum / total;
    }
}

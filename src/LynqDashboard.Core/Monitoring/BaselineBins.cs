using System.Globalization;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Monitoring;

/// <summary>
/// Cuts a version's frozen bins from its stored test rows (test_predictions.csv): deciles of the PD and, when the rows
/// carry them, of each feature. Live decisions are later counted into these bins by <see cref="FrozenBinCounter"/>.
/// </summary>
public static class BaselineBins
{
    /// <summary>Deciles, as PSI is usually read.</summary>
    public const int Bins = 10;

    /// <summary>The baseline of <paramref name="versionNumber"/> from its test rows.</summary>
    /// <param name="versionNumber">The registry version the rows belong to.</param>
    /// <param name="rows">Its stored test rows; without features only the PD is binned (and Source says so).</param>
    /// <param name="computedAt">When the bins are made.</param>
    public static MonitoringBaseline From(int versionNumber, TestPredictions rows, DateTimeOffset computedAt)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw LynqException.Conflict($"Version {versionNumber} has no stored test rows to cut monitoring bins from.");
        }

        var score = Cut(Widen(rows.Probabilities));
        var features = new Dictionary<string, FrozenBins>(StringComparer.Ordinal);
        if (rows.Features is not null)
        {
            var column = new double[rows.Count];
            foreach (var feature in LoanFeatures.All)
            {
                for (var r = 0; r < rows.Count; r++)
                {
                    column[r] = rows.Features[(r * LoanFeatures.Count) + feature.Index];
                }

                features[feature.Name] = Cut(column);
            }
        }

        var count = rows.Count.ToString("N0", CultureInfo.InvariantCulture);
        var source = rows.Features is null
            ? $"test split, {count} rows; PD bins only (the version was trained before test rows kept their features, so no feature CSI)"
            : $"test split, {count} rows";
        return new MonitoringBaseline(versionNumber, computedAt, source, rows.Count, score, features);
    }

    private static FrozenBins Cut(double[] values)
    {
        var edges = EqualCountBins.Edges(values, Bins);
        return new FrozenBins(edges, EqualCountBins.Shares(values, edges));
    }

    private static double[] Widen(float[] values) => [.. values.Select(v => (double)v)];
}

/// <summary>Counts values into one set of frozen bins, then gives their stability index against the reference shares.</summary>
internal sealed class FrozenBinCounter(FrozenBins bins)
{
    private readonly double[] _edges = [.. bins.Edges];
    private readonly double[] _expected = [.. bins.Shares];
    private readonly long[] _counts = new long[bins.Shares.Count];

    public long Total { get; private set; }

    public void Add(double value)
    {
        if (double.IsFinite(value))
        {
            _counts[EqualCountBins.BinOf(_edges, value)]++;
            Total++;
        }
    }

    /// <summary>Null when nothing was counted.</summary>
    public double? Index() => Total == 0 ? null : EqualCountBins.StabilityIndex(_expected, EqualCountBins.Shares(_counts));
}

using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Data;

/// <summary>A loaded dataset in memory: features row-major (Count × 12, model order), labels and, when known, true PDs.</summary>
public sealed class LoanDataset
{
    public LoanDataset(float[] features, bool[] labels, float[]? truePd)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Length != labels.Length * LoanFeatures.Count)
        {
            throw new ArgumentException($"Expected {labels.Length * LoanFeatures.Count} feature values for {labels.Length} rows, got {features.Length}.", nameof(features));
        }

        if (truePd is not null && truePd.Length != labels.Length)
        {
            throw new ArgumentException($"Expected {labels.Length} true PDs, got {truePd.Length}.", nameof(truePd));
        }

        Features = features;
        Labels = labels;
        TruePd = truePd;
        Defaults = labels.Count(l => l);
    }

    public int Count => Labels.Length;

    public float[] Features { get; }

    public bool[] Labels { get; }

    /// <summary>The generator's true default probabilities; null for data without them.</summary>
    public float[]? TruePd { get; }

    public int Defaults { get; }

    public double DefaultRate => Count == 0 ? 0 : (double)Defaults / Count;

    public ReadOnlySpan<float> Row(int index) => Features.AsSpan(index * LoanFeatures.Count, LoanFeatures.Count);

    /// <summary>A new dataset holding the given rows, in the given order.</summary>
    public LoanDataset Select(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var features = new float[rows.Count * LoanFeatures.Count];
        var labels = new bool[rows.Count];
        var truePd = TruePd is null ? null : new float[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            Row(rows[i]).CopyTo(features.AsSpan(i * LoanFeatures.Count));
            labels[i] = Labels[rows[i]];
            truePd?[i] = TruePd![rows[i]];
        }

        return new LoanDataset(features, labels, truePd);
    }

    /// <summary>Builds a dataset from generated rows (tests and in-memory pipelines).</summary>
    public static LoanDataset From(IReadOnlyList<GeneratedLoan> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var features = new float[rows.Count * LoanFeatures.Count];
        var labels = new bool[rows.Count];
        var truePd = new float[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].CopyFeaturesTo(features.AsSpan(i * LoanFeatures.Count, LoanFeatures.Count));
            labels[i] = rows[i].Default;
            truePd[i] = (float)rows[i].TruePd;
        }

        return new LoanDataset(features, labels, truePd);
    }
}

using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Evaluation;

/// <summary>Flags features that separate the classes on their own: almost always a column derived from the outcome.</summary>
public static class LeakageCheck
{
    public const double Threshold = 0.98;

    public const string HigherIsRiskier = "higher_is_riskier";

    public const string LowerIsRiskier = "lower_is_riskier";

    /// <summary>Each feature's direction-corrected single-feature AUC; <paramref name="rowMajorFeatures"/> holds rows × 12 values in model order.</summary>
    public static IReadOnlyList<FeatureAuc> SingleFeatureAucs(ReadOnlySpan<float> rowMajorFeatures, ReadOnlySpan<bool> labels)
    {
        if (rowMajorFeatures.Length != labels.Length * LoanFeatures.Count)
        {
            throw new ArgumentException($"Expected {labels.Length * LoanFeatures.Count:N0} feature values for {labels.Length:N0} rows, got {rowMajorFeatures.Length:N0}.");
        }

        var column = new float[labels.Length];
        var result = new List<FeatureAuc>(LoanFeatures.Count);
        foreach (var feature in LoanFeatures.All)
        {
            for (var i = 0; i < labels.Length; i++)
            {
                column[i] = rowMajorFeatures[(i * LoanFeatures.Count) + feature.Index];
            }

            var auc = BinaryMetrics.RocAuc(column, labels);
            var corrected = Math.Max(auc, 1 - auc);
            result.Add(new FeatureAuc(feature.Name, corrected, auc >= 0.5 ? HigherIsRiskier : LowerIsRiskier, corrected >= Threshold));
        }

        return result;
    }
}

using LynqDashboard.Core.Serialization;

namespace LynqDashboard.Core.Evaluation;

/// <summary>The credit-risk validation pack of one model on one test set; stored as metrics.json (snake_case).</summary>
public sealed record ValidationPack
{
    public required double Threshold { get; init; }
    public required int TestRows { get; init; }
    public required int Positives { get; init; }
    public required double ObservedDefaultRate { get; init; }
    public required double MeanPredictedPd { get; init; }
    public required double Accuracy { get; init; }
    public required double Precision { get; init; }
    public required double Recall { get; init; }
    public required double F1 { get; init; }
    public required ConfusionMatrix ConfusionMatrix { get; init; }
    public required double RocAuc { get; init; }
    public required double Gini { get; init; }
    public required double Ks { get; init; }
    public required double PrAuc { get; init; }
    public required double Brier { get; init; }
    public required double LogLoss { get; init; }
    public required double CalibrationError { get; init; }
    public required IReadOnlyList<CurvePoint> RocCurve { get; init; }
    public required IReadOnlyList<CurvePoint> PrCurve { get; init; }
    public required IReadOnlyList<CalibrationBin> Calibration { get; init; }
    public required IReadOnlyList<FeatureImportance> FeatureImportance { get; init; }
    public required IReadOnlyList<FeatureAuc> SingleFeatureAuc { get; init; }
    public required IReadOnlyList<string> LeakageSuspects { get; init; }

    /// <summary>ROC-AUC of the generator's true PDs: the best any model can do on this data; null when unknown.</summary>
    public double? OracleAuc { get; init; }

    /// <summary>OracleAuc − RocAuc; negative values mean the model beats the truth, i.e. leakage.</summary>
    public double? OracleGap { get; init; }

    /// <summary>Computes the whole pack.</summary>
    /// <param name="probabilities">Calibrated PD per test row.</param>
    /// <param name="labels">True when the row defaulted.</param>
    /// <param name="truePd">Generator's true PDs, or empty when unknown.</param>
    /// <param name="rowMajorFeatures">The test rows' 12 features, row-major in model order (for the leakage check).</param>
    /// <param name="threshold">Decision threshold for the confusion matrix, 0–1.</param>
    /// <param name="importance">Permutation importance computed by the trainer (may be empty).</param>
    public static ValidationPack Compute(
        ReadOnlySpan<float> probabilities,
        ReadOnlySpan<bool> labels,
        ReadOnlySpan<float> truePd,
        ReadOnlySpan<float> rowMajorFeatures,
        double threshold,
        IReadOnlyList<FeatureImportance> importance)
    {
        if (!(threshold is >= 0 and <= 1))
        {
            throw new ArgumentException($"The threshold must be between 0 and 1 (got {threshold}).", nameof(threshold));
        }

        if (!truePd.IsEmpty && truePd.Length != labels.Length)
        {
            throw new ArgumentException($"There are {truePd.Length:N0} true PDs for {labels.Length:N0} rows.", nameof(truePd));
        }

        var ranked = RankedScores.Create(probabilities, labels);
        var auc = BinaryMetrics.RocAuc(ranked);
        var matrix = BinaryMetrics.ConfusionAt(probabilities, labels, threshold);
        var calibration = Evaluation.Calibration.ByDecile(probabilities, labels);
        var singleFeature = LeakageCheck.SingleFeatureAucs(rowMajorFeatures, labels);
        double? oracle = truePd.IsEmpty ? null : BinaryMetrics.RocAuc(truePd, labels);
        double sum = 0;
        foreach (var p in probabilities)
        {
            sum += p;
        }

        return new ValidationPack
        {
            Threshold = threshold,
            TestRows = labels.Length,
            Positives = (int)ranked.Positives,
            ObservedDefaultRate = (double)ranked.Positives / labels.Length,
            MeanPredictedPd = sum / probabilities.Length,
            Accuracy = matrix.Accuracy,
            Precision = matrix.Precision,
            Recall = matrix.Recall,
            F1 = matrix.F1,
            ConfusionMatrix = matrix,
            RocAuc = auc,
            Gini = (2 * auc) - 1,
            Ks = BinaryMetrics.KolmogorovSmirnov(probabilities, labels),
            PrAuc = BinaryMetrics.PrAuc(probabilities, labels),
            Brier = BinaryMetrics.Brier(probabilities, labels),
            LogLoss = BinaryMetrics.LogLoss(probabilities, labels),
            CalibrationError = Evaluation.Calibration.ExpectedCalibrationError(calibration),
            RocCurve = BinaryMetrics.RocCurve(probabilities, labels),
            PrCurve = BinaryMetrics.PrCurve(probabilities, labels),
            Calibration = calibration,
            FeatureImportance = importance ?? [],
            SingleFeatureAuc = singleFeature,
            LeakageSuspects = [.. singleFeature.Where(f => f.SuspectedLeakage).Select(f => f.Feature)],
            OracleAuc = oracle,
            OracleGap = oracle - auc,
        };
    }

    public void Save(string path) => LynqJson.WriteFile(path, this);

    public static ValidationPack Load(string path) => LynqJson.ReadFile<ValidationPack>(path, "validation pack");
}

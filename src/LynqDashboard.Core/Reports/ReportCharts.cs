using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Reports;

/// <summary>The validation pack's four charts as the version page draws them: ROC, precision–recall, calibration by decile, permutation importance.</summary>
public static class ReportCharts
{
    public static XyChart Roc(ValidationPack m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new XyChart($"ROC curve (AUC {ReportFormat.Metric(m.RocAuc)})", "False positive rate", "True positive rate", 1, 1, 5,
        [
            new ChartSeries("Model", Curve(m.RocCurve)),
            new ChartSeries("Chance", [(0, 0), (1, 1)], ChartInk.Reference),
        ]);
    }

    public static XyChart PrecisionRecall(ValidationPack m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new XyChart($"Precision–recall (PR-AUC {ReportFormat.Metric(m.PrAuc)})", "Recall", "Precision", 1, 1, 5,
        [
            new ChartSeries("Model", Curve(m.PrCurve)),
            new ChartSeries("Chance", [(0, m.ObservedDefaultRate), (1, m.ObservedDefaultRate)], ChartInk.Reference),
        ]);
    }

    /// <summary>Both axes fit the largest decile, so the deciles of a model with an 8 % default rate do not huddle in a corner.</summary>
    public static XyChart Calibration(ValidationPack m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var top = m.Calibration.Count == 0 ? 1 : Math.Min(1, m.Calibration.Max(b => Math.Max(b.MeanPredicted, b.ObservedRate)));
        var (max, ticks) = RoundUp(top);
        return new XyChart($"Calibration by decile (error {ReportFormat.Metric(m.CalibrationError)})", "Mean predicted PD", "Observed default rate", max, max, ticks,
        [
            new ChartSeries("Perfect calibration", [(0, 0), (max, max)], ChartInk.Reference),
            new ChartSeries("Decile", [.. m.Calibration.Select(b => (b.MeanPredicted, b.ObservedRate))], ChartInk.Model, Markers: true),
        ], Percent: true);
    }

    public static BarChart Importance(ValidationPack m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new BarChart("Permutation importance", "Drop in ROC-AUC when the feature's column is shuffled; near 0, the model barely uses it.",
            [.. m.FeatureImportance.OrderByDescending(f => f.Importance)
                .Select(f => new ChartBar(LoanFeatures.Find(f.Feature)?.Label ?? f.Feature, f.Importance, f.Importance.ToString("0.000;−0.000;0.000", System.Globalization.CultureInfo.InvariantCulture)))]);
    }

    /// <summary>A round axis end at or above <paramref name="top"/> (0.38 → 0.4 in 4 steps of 0.1) and its number of steps.</summary>
    public static (double Max, int Ticks) RoundUp(double top)
    {
        if (!(top > 0) || double.IsInfinity(top))
        {
            return (1, 5);
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(top / 5)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(s => s * magnitude).First(s => s * 5 >= top * (1 - 1e-9));
        var ticks = (int)Math.Ceiling((top / step) - 1e-9);
        return (Math.Round(ticks * step, 10), Math.Max(1, ticks));
    }

    private static List<(double X, double Y)> Curve(IEnumerable<CurvePoint> points) => [.. points.Select(p => (p.X, p.Y))];
}

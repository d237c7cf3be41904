using System.Globalization;

namespace LynqDashboard.Core.Monitoring;

/// <summary>
/// The alert rules of a snapshot: stability over the red line, calibration off by more than the allowed share and beyond
/// sampling error, and a back-test AUC under its floor. Messages carry the numbers and say what to look at.
/// </summary>
public static class MonitoringAlerts
{
    /// <summary>
    /// A calibration gap must also be at least this many standard errors: an honest model's observed rate is within about
    /// two of its mean PD 95 % of the time, so three keeps chance from raising an alert on every run.
    /// </summary>
    public const double SamplingErrors = 3;

    /// <param name="scorePsi">PSI of the PD (null without bins).</param>
    /// <param name="featureCsi">CSI per feature.</param>
    /// <param name="vintages">The back-test per vintage.</param>
    /// <param name="thresholds">The lines.</param>
    public static IReadOnlyList<MonitoringAlert> Raise(double? scorePsi, IReadOnlyDictionary<string, double> featureCsi, IReadOnlyList<VintageBackTest> vintages, MonitoringThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(featureCsi);
        ArgumentNullException.ThrowIfNull(vintages);
        ArgumentNullException.ThrowIfNull(thresholds);
        var alerts = new List<MonitoringAlert>();
        if (scorePsi is { } psi && psi >= thresholds.PsiRed)
        {
            alerts.Add(new MonitoringAlert(MonitoringAlertKind.Psi, SnapshotBuilder.ScoreFeature, psi, thresholds.PsiRed,
                $"The PD's population stability index is {N(psi)}, at or over the red line {N(thresholds.PsiRed)}: the applicants scored now are not the population the model was trained on. Look at the feature CSIs for where it moved, and consider retraining."));
        }

        foreach (var (feature, csi) in featureCsi.Where(f => f.Value >= thresholds.PsiRed).OrderByDescending(f => f.Value))
        {
            alerts.Add(new MonitoringAlert(MonitoringAlertKind.Psi, feature, csi, thresholds.PsiRed,
                $"{feature} has moved: its stability index is {N(csi)} against the training deciles (red line {N(thresholds.PsiRed)}). Check whether the traffic changed or the data feeding it broke; a model trained on the old population may no longer hold."));
        }

        foreach (var v in vintages.Where(v => v.WithOutcome >= thresholds.MinOutcomes))
        {
            var name = $"the {v.Period} of {v.Vintage.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
            var gap = v.ObservedRate - v.MeanPd;
            var errors = v.StandardError > 0 ? Math.Abs(gap) / v.StandardError : double.PositiveInfinity;
            if (Math.Abs(gap) > thresholds.CalibrationShare * v.MeanPd && errors >= SamplingErrors)
            {
                var share = v.MeanPd > 0 ? Math.Abs(gap) / v.MeanPd : double.PositiveInfinity;
                alerts.Add(new MonitoringAlert(MonitoringAlertKind.Calibration, null, v.ObservedRate, v.MeanPd,
                    $"In {name}, {v.Defaults:N0} of {v.WithOutcome:N0} decisions with an outcome defaulted ({P(v.ObservedRate)}) against a mean PD of {P(v.MeanPd)}: off by {P(share)} of the PD (allowed {P(thresholds.CalibrationShare)}), {errors:0.0} standard errors. The PDs {(gap > 0 ? "understate" : "overstate")} the risk; recalibrate or retrain before relying on them for pricing."));
            }

            if (v.Auc is { } auc && auc < thresholds.AucFloor)
            {
                alerts.Add(new MonitoringAlert(MonitoringAlertKind.BackTestAuc, null, auc, thresholds.AucFloor,
                    $"In {name}, the back-test AUC is {auc:0.000} over {v.WithOutcome:N0} outcomes, under the floor {thresholds.AucFloor:0.00}: the model no longer ranks defaulters above the others as it did at training. Retrain on recent outcomes."));
            }
        }

        return alerts;
    }

    private static string N(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string P(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}

namespace LynqDashboard.Core.Monitoring;

/// <summary>
/// One monitoring run over one version's decisions: stability against its frozen training bins, the daily mix of
/// answers, traffic per hour, the back-test by vintage on decisions whose outcome is known, and the alerts raised.
/// </summary>
/// <param name="Id">The snapshot's id.</param>
/// <param name="VersionNumber">The registry version monitored; null for the rule-based fallback.</param>
/// <param name="ModelVersion">Its label ("3" or the fallback's name).</param>
/// <param name="At">When the snapshot was computed.</param>
/// <param name="From">Start of the window of decisions read (inclusive).</param>
/// <param name="To">End of the window (exclusive).</param>
/// <param name="Decisions">Decisions in the window.</param>
/// <param name="WithOutcome">Of those, how many have an outcome.</param>
/// <param name="ScorePsi">PSI of the PD against the version's training deciles; null without decisions or bins.</param>
/// <param name="FeatureCsi">Characteristic stability index per feature (same formula on the feature's bins).</param>
/// <param name="Days">Per UTC day: decisions, mean PD, the action mix, and the observed default rate where outcomes exist.</param>
/// <param name="Hours">Decisions per UTC hour, for the traffic chart.</param>
/// <param name="Vintages">The back-test, one row per vintage (week or month of decision) with outcomes.</param>
/// <param name="Alerts">What crossed a red line; empty when all is well.</param>
/// <param name="Thresholds">The limits this snapshot was judged by.</param>
/// <param name="ComputeSeconds">How long it took.</param>
public sealed record MonitoringSnapshot(
    Guid Id,
    int? VersionNumber,
    string ModelVersion,
    DateTimeOffset At,
    DateTimeOffset From,
    DateTimeOffset To,
    long Decisions,
    long WithOutcome,
    double? ScorePsi,
    IReadOnlyDictionary<string, double> FeatureCsi,
    IReadOnlyList<DailyMix> Days,
    IReadOnlyList<HourlyCount> Hours,
    IReadOnlyList<VintageBackTest> Vintages,
    IReadOnlyList<MonitoringAlert> Alerts,
    MonitoringThresholds Thresholds,
    double ComputeSeconds)
{
    /// <summary>The traffic light of a stability index under these thresholds.</summary>
    public StabilityLight LightOf(double? psi) => Thresholds.LightOf(psi);
}

/// <summary>One UTC day of decisions.</summary>
/// <param name="Day">The day (00:00 UTC).</param>
/// <param name="Decisions">How many.</param>
/// <param name="MeanPd">Their mean PD.</param>
/// <param name="Actions">How many of each recommended action, by name.</param>
public sealed record DailyMix(DateTimeOffset Day, long Decisions, double MeanPd, IReadOnlyDictionary<string, long> Actions)
{
    /// <summary>Share answered APPROVE or APPROVE_WITH_CONDITIONS.</summary>
    public double ApprovalRate => Decisions == 0 ? 0
        : (double)(Actions.GetValueOrDefault("APPROVE") + Actions.GetValueOrDefault("APPROVE_WITH_CONDITIONS")) / Decisions;
}

public sealed record HourlyCount(DateTimeOffset Hour, long Decisions);

/// <summary>The back-test of one vintage: decisions of that week (or month) whose outcome is known.</summary>
/// <param name="Vintage">Start of the vintage (Monday 00:00 UTC for a week, the 1st for a month).</param>
/// <param name="Period">"week" or "month".</param>
/// <param name="Decisions">Decisions of the vintage.</param>
/// <param name="WithOutcome">Of those, with an outcome.</param>
/// <param name="Defaults">Of those, defaulted.</param>
/// <param name="MeanPd">Mean PD of the decisions with an outcome.</param>
/// <param name="ObservedRate">Defaults ÷ WithOutcome.</param>
/// <param name="StandardError">The binomial standard error of the observed rate at the mean PD: √(Σ pd(1−pd)) ÷ n.</param>
/// <param name="Auc">ROC AUC on those decisions; null without both outcomes.</param>
/// <param name="Ks">Kolmogorov–Smirnov statistic; null without both outcomes.</param>
public sealed record VintageBackTest(
    DateTimeOffset Vintage, string Period, long Decisions, long WithOutcome, long Defaults, double MeanPd, double ObservedRate, double StandardError, double? Auc, double? Ks);

/// <summary>What an alert is about.</summary>
public enum MonitoringAlertKind
{
    /// <summary>The PD's PSI (feature "score") or a feature's CSI is over the red line.</summary>
    Psi,

    /// <summary>The observed default rate is off the mean PD by more than the allowed share.</summary>
    Calibration,

    /// <summary>The back-test AUC fell below its floor.</summary>
    BackTestAuc,
}

/// <summary>One alert of a snapshot.</summary>
/// <param name="Kind">What it is about.</param>
/// <param name="Feature">The feature ("score" for the PD); null for calibration and AUC.</param>
/// <param name="Value">The measured value.</param>
/// <param name="Limit">The line it crossed.</param>
/// <param name="Message">In words a risk analyst acts on.</param>
public sealed record MonitoringAlert(MonitoringAlertKind Kind, string? Feature, double Value, double Limit, string Message);

public enum StabilityLight
{
    None,
    Green,
    Amber,
    Red,
}

/// <summary>The lines a snapshot is judged by (Lynq:Monitoring).</summary>
/// <param name="PsiAmber">PSI at or above this is amber (default 0.1).</param>
/// <param name="PsiRed">PSI at or above this is red and raises an alert (default 0.25).</param>
/// <param name="CalibrationShare">Alert when |observed − mean PD| exceeds this share of the mean PD (default 0.25) …</param>
/// <param name="MinOutcomes">… or when the AUC is under its floor, but only over at least this many outcomes (default 500).</param>
/// <param name="AucFloor">Alert when the back-test AUC is below this (default 0.70).</param>
public sealed record MonitoringThresholds(double PsiAmber = 0.1, double PsiRed = 0.25, double CalibrationShare = 0.25, int MinOutcomes = 500, double AucFloor = 0.70)
{
    public StabilityLight LightOf(double? psi) => psi switch
    {
        null => StabilityLight.None,
        var p when p >= PsiRed => StabilityLight.Red,
        var p when p >= PsiAmber => StabilityLight.Amber,
        _ => StabilityLight.Green,
    };
}

using System.Globalization;
using LynqDashboard.Core.Challengers;
using LynqDashboard.Core.Monitoring.Challengers;

namespace LynqDashboard.Web.Model;

/// <summary>What the Monitoring page's "Champion vs shadow" and "A/B split" sections show of one <see cref="ChallengerReport"/>. Plain data.</summary>
public sealed class ChallengerComparisonView
{
    private ChallengerComparisonView(ChallengerReport report, IReadOnlyList<ShadowComparisonView> shadows, ArmComparisonView? split)
    {
        Report = report;
        Shadows = shadows;
        Split = split;
    }

    public ChallengerReport Report { get; }

    /// <summary>One per (champion, shadow) pair, the most compared first; empty when no shadow scored in the window.</summary>
    public IReadOnlyList<ShadowComparisonView> Shadows { get; }

    /// <summary>Null when no decision in the window was answered in an A/B split.</summary>
    public ArmComparisonView? Split { get; }

    public static ChallengerComparisonView Of(ChallengerReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new ChallengerComparisonView(report, [.. report.Shadows.Select(ShadowComparisonView.Of)], report.Split.Arms.Count == 0 ? null : ArmComparisonView.Of(report.Split));
    }

    /// <summary>"v3", or "the fallback" for no number.</summary>
    public static string Name(int? version) => version is { } n ? $"v{n.ToString(CultureInfo.InvariantCulture)}" : "the fallback";

    internal static string Range(Interval interval, Func<double, string> format) => $"{format(interval.Low)} to {format(interval.High)}";

    internal static string Number(double value, int decimals = 3) => value.ToString("0." + new string('0', decimals), CultureInfo.InvariantCulture);
}

/// <summary>One champion–shadow pair as the card lays it out.</summary>
public sealed class ShadowComparisonView
{
    private ShadowComparisonView(ShadowComparisonResult result) => Result = result;

    public ShadowComparisonResult Result { get; }

    public string Champion => ChallengerComparisonView.Name(Result.ChampionVersion);

    public string Shadow => ChallengerComparisonView.Name(Result.ShadowVersion);

    public string Correlation => Result.Pearson is { } r ? ChallengerComparisonView.Number(r) : "–";

    public string RankCorrelation => Result.Spearman is { } r ? ChallengerComparisonView.Number(r) : "–";

    public string Psi => ChallengerComparisonView.Number(Result.Psi);

    /// <summary>The PSI read with the monitoring lines (0.1 and 0.25).</summary>
    public string PsiWords => Result.Psi < 0.1 ? "the two spread applicants alike" : Result.Psi < 0.25 ? "the shadow spreads applicants somewhat differently" : "the shadow spreads applicants very differently";

    /// <summary>The sample as markers, each decile's means as a line, and the diagonal where the two agree.</summary>
    public IReadOnlyList<XySeries> Scatter { get; private set; } = [];

    public AxisScale Scale { get; private set; } = new(1, 0.2);

    public IReadOnlyList<FlipRow> Flips { get; private set; } = [];

    /// <summary>The action names, rows (champion) and columns (shadow) of the matrix.</summary>
    public IReadOnlyList<string> Actions => Result.Actions;

    /// <summary>Null until outcomes are known: the AUC sentence a credit analyst reads.</summary>
    public string? AucSentence { get; private set; }

    /// <summary>Null until outcomes are known: which one is better calibrated, and by how much.</summary>
    public string? CalibrationSentence { get; private set; }

    public long Count(string championAction, string shadowAction) =>
        Result.Matrix.FirstOrDefault(c => c.ChampionAction == championAction && c.ShadowAction == shadowAction)?.Count ?? 0;

    public static ShadowComparisonView Of(ShadowComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var view = new ShadowComparisonView(result);
        view.Build();
        return view;
    }

    private void Build()
    {
        var r = Result;
        var top = r.Sample.SelectMany(p => new[] { p.Champion, p.Shadow }).Order().ToList() is { Count: > 0 } values ? values[(int)((values.Count - 1) * 0.98)] : 0.1;
        top = Math.Max(top, r.Bins.Select(b => Math.Max(b.ChampionMeanPd, b.ShadowMeanPd)).DefaultIfEmpty(0).Max());
        Scale = AxisScale.Fit(Math.Min(1, top));
        Scatter =
        [
            new XySeries($"Applications ({DisplayFormat.Count(r.Sample.Count)} of {DisplayFormat.Count(r.Decisions)})", [.. r.Sample.Select(p => (p.Champion, p.Shadow))],
                ChartColors.Model, XyStyle.Points),
            new XySeries($"{Shadow}'s mean PD in each decile of {Champion}'s", [.. r.Bins.Select(b => (b.ChampionMeanPd, b.ShadowMeanPd))], ChartColors.Other,
                r.Bins.Count == 1 ? XyStyle.Points : XyStyle.Line),
            new XySeries("Same PD", [(0, 0), (Scale.Max, Scale.Max)], ChartColors.Reference, XyStyle.Reference),
        ];
        Flips = [.. r.Cutoffs.Select(c => new FlipRow(DisplayFormat.Percent(c.Cutoff, 0, trimZeros: true), c.ShadowStricter, c.ShadowLooser,
            DisplayFormat.Percent(r.Decisions == 0 ? 0 : (double)(c.ShadowStricter + c.ShadowLooser) / r.Decisions, 1)))];
        if (r.Outcomes is not { } o)
        {
            return;
        }

        var loans = DisplayFormat.Count(o.Loans);
        if (o.AucDifference is { } d)
        {
            var size = ChallengerComparisonView.Number(Math.Abs(d.Estimate));
            var way = d.Estimate > 0 ? "higher" : d.Estimate < 0 ? "lower" : "the same as";
            var range = ChallengerComparisonView.Range(d, v => ChallengerComparisonView.Number(v));
            AucSentence = d.Estimate == 0 && d.Low == 0 && d.High == 0
                ? $"{Shadow}'s AUC is the same as {Champion}'s on the same {loans} loans: they rank every pair alike."
                : $"{Shadow}'s AUC is {size} {way} than {Champion}'s (95 % CI {range}) on the same {loans} loans"
                  + (d.ExcludesZero ? "." : ": the interval includes 0, so these loans do not show a real difference.");
        }

        if (o.CalibrationDifference is { } c)
        {
            var better = c.Estimate < 0 ? Shadow : Champion;
            CalibrationSentence = c.ExcludesZero
                ? $"{better}'s mean PD is closer to the observed rate, by {DisplayFormat.Points(Math.Abs(c.Estimate))} (95 % CI {ChallengerComparisonView.Range(c, v => DisplayFormat.Points(v))} for {Shadow}'s gap minus {Champion}'s)."
                : $"Their calibration does not differ beyond chance: {Shadow}'s gap minus {Champion}'s is {DisplayFormat.Points(c.Estimate)} (95 % CI {ChallengerComparisonView.Range(c, v => DisplayFormat.Points(v))}).";
        }
    }
}

/// <summary>One cutoff's flips.</summary>
/// <param name="Cutoff">The PD, written ("5 %").</param>
/// <param name="Stricter">Champion below the cutoff, shadow at or above.</param>
/// <param name="Looser">The reverse.</param>
/// <param name="Share">Both as a share of the compared applications.</param>
public sealed record FlipRow(string Cutoff, long Stricter, long Looser, string Share);

/// <summary>The A/B split as the card lays it out.</summary>
public sealed class ArmComparisonView
{
    private ArmComparisonView(ArmReport report) => Report = report;

    public ArmReport Report { get; }

    /// <summary>Each arm and version, then (when an arm had several versions) the arm's total.</summary>
    public IReadOnlyList<ArmRow> Rows { get; private set; } = [];

    public IReadOnlyList<BarItem> ApprovalBars { get; private set; } = [];

    public IReadOnlyList<BarItem> BadRateBars { get; private set; } = [];

    public string? ApprovalSentence { get; private set; }

    public string? BadRateSentence { get; private set; }

    public static ArmComparisonView Of(ArmReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var view = new ArmComparisonView(report);
        view.Build();
        return view;
    }

    private void Build()
    {
        var pooledOnly = Report.Arms.GroupBy(a => a.Arm).All(g => g.Count() == 1);
        Rows = [.. (pooledOnly ? Report.Arms : Report.Arms.Concat(Report.Pooled.Where(p => p.Version is null))).Select(Row)];
        var arms = Report.Pooled;
        ApprovalBars = [.. arms.Select(a => new BarItem(Label(a), a.ApprovalRate.Estimate, DisplayFormat.Percent(a.ApprovalRate.Estimate), Colour(a.Arm), $"{DisplayFormat.Count(a.Approved)} of {DisplayFormat.Count(a.Decisions)}"))];
        BadRateBars = [.. arms.Where(a => a.BadRate is not null).Select(a => new BarItem(Label(a), a.BadRate!.Estimate, DisplayFormat.Percent(a.BadRate.Estimate, 2), Colour(a.Arm),
            $"{DisplayFormat.Count(a.ApprovedDefaults)} of {DisplayFormat.Count(a.ApprovedWithOutcome)} approved loans with an outcome"))];
        if (Report.ApprovalRateDifference is { } approval)
        {
            ApprovalSentence = $"The challenger arm approves {DisplayFormat.Points(approval.Estimate)} against the champion arm (95 % CI {ChallengerComparisonView.Range(approval, v => DisplayFormat.Points(v))})"
                + (approval.ExcludesZero ? "." : ": not distinguishable from chance yet.");
        }

        if (Report.BadRateDifference is { } bad)
        {
            BadRateSentence = $"Among approved loans with an outcome, the challenger arm's bad rate differs by {DisplayFormat.Points(bad.Estimate)} (95 % CI {ChallengerComparisonView.Range(bad, v => DisplayFormat.Points(v))})"
                + (bad.ExcludesZero ? "." : ": not distinguishable from chance yet.");
        }
    }

    private static ArmRow Row(ArmStats a) => new(
        a.Arm, Label(a), a.Decisions, $"{DisplayFormat.Percent(a.ApprovalRate.Estimate)} ({ChallengerComparisonView.Range(a.ApprovalRate, v => DisplayFormat.Percent(v))})",
        a.BadRate is { } b ? $"{DisplayFormat.Percent(b.Estimate, 2)} ({ChallengerComparisonView.Range(b, v => DisplayFormat.Percent(v, 2))}), {DisplayFormat.Count(a.ApprovedDefaults)} of {DisplayFormat.Count(a.ApprovedWithOutcome)}" : "no outcome yet",
        a.MeanApprovedPd is { } pd ? DisplayFormat.Percent(pd, 2) : "–", Usd(a.ExpectedLoss), Usd(a.PdWeightedExposure), Usd(a.ApprovedAmount));

    private static string Label(ArmStats a) => $"{(a.Arm == ExperimentArms.Challenger ? "Challenger" : a.Arm == ExperimentArms.Champion ? "Champion" : a.Arm)} · {(a.Version is { } n ? $"v{n}" : "all versions")}";

    private static string Colour(string arm) => arm == ExperimentArms.Challenger ? ChartColors.Other : ChartColors.Model;

    private static string Usd(double amount) => "$" + amount.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>One row of the arms table, every cell written.</summary>
public sealed record ArmRow(string Arm, string Label, long Decisions, string ApprovalRate, string BadRate, string MeanApprovedPd, string ExpectedLoss, string PdWeightedExposure, string ApprovedAmount);

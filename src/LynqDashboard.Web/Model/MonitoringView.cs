using LynqDashboard.Core.Features;
using LynqDashboard.Core.Monitoring;

namespace LynqDashboard.Web.Model;

/// <summary>
/// What the Monitoring page draws from one version's snapshots (newest first): the stability table of the latest, the
/// PSI of the score and the most moved features across snapshots, the back-test by vintage, the daily approval mix and
/// the hourly traffic. Plain data: the page only lays it out.
/// </summary>
public sealed class MonitoringView
{
    /// <summary>How many features besides the score the PSI chart follows (the ones that moved most in the latest snapshot).</summary>
    public const int ChartedFeatures = 4;

    private static readonly string[] Palette =
    [
        "var(--mud-palette-primary)", "var(--mud-palette-warning)", "var(--mud-palette-info)", "var(--mud-palette-secondary)",
        "var(--mud-palette-success)", "var(--mud-palette-error)",
    ];

    private MonitoringView(MonitoringSnapshot latest, IReadOnlyList<MonitoringSnapshot> history)
    {
        Latest = latest;
        History = history;
    }

    public MonitoringSnapshot Latest { get; }

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<MonitoringSnapshot> History { get; }

    /// <summary>The score first, then every feature by its CSI, largest first.</summary>
    public IReadOnlyList<StabilityRow> Stability { get; private set; } = [];

    public IReadOnlyList<XySeries> PsiSeries { get; private set; } = [];

    public AxisScale PsiScale { get; private set; } = new(0.5, 0.1);

    public IndexAxis PsiAxis { get; private set; } = IndexAxis.Empty;

    public IReadOnlyList<XySeries> BackTestSeries { get; private set; } = [];

    public AxisScale BackTestScale { get; private set; } = new(0.2, 0.05);

    public IndexAxis VintageAxis { get; private set; } = IndexAxis.Empty;

    public IReadOnlyList<XySeries> MixSeries { get; private set; } = [];

    public IndexAxis DayAxis { get; private set; } = IndexAxis.Empty;

    public IReadOnlyList<XySeries> TrafficSeries { get; private set; } = [];

    public AxisScale TrafficScale { get; private set; } = new(1, 0.2);

    public IndexAxis HourAxis { get; private set; } = IndexAxis.Empty;

    /// <summary>The view of <paramref name="newestFirst"/>; null when there is no snapshot yet.</summary>
    /// <param name="newestFirst">The version's snapshots as the store lists them.</param>
    /// <param name="clock">The viewer's zone, for the axis labels.</param>
    public static MonitoringView? Of(IReadOnlyList<MonitoringSnapshot> newestFirst, ViewerClock clock)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        ArgumentNullException.ThrowIfNull(clock);
        if (newestFirst.Count == 0)
        {
            return null;
        }

        var view = new MonitoringView(newestFirst[0], [.. newestFirst.Reverse()]);
        view.Build(clock);
        return view;
    }

    private void Build(ViewerClock clock)
    {
        var thresholds = Latest.Thresholds;
        Stability =
        [
            new StabilityRow("score", "Score (PD)", Latest.ScorePsi, thresholds.LightOf(Latest.ScorePsi)),
            .. Latest.FeatureCsi.OrderByDescending(f => f.Value).Select(f => new StabilityRow(f.Key, DisplayFormat.Feature(f.Key), f.Value, thresholds.LightOf(f.Value))),
        ];

        // PSI across snapshots: the score and the features that moved most now, with the amber and red lines.
        PsiAxis = IndexAxis.Of([.. History.Select(s => clock.Format(s.At, History[^1].At - History[0].At > TimeSpan.FromDays(1) ? ViewerClock.DateTime : ViewerClock.Time))]);
        var charted = Latest.FeatureCsi.OrderByDescending(f => f.Value).Take(ChartedFeatures).Select(f => f.Key).ToList();
        var psi = new List<XySeries>
        {
            new("Score (PD)", [.. History.Select((s, i) => (i, s.ScorePsi)).Where(p => p.ScorePsi is not null).Select(p => ((double)p.i, p.ScorePsi!.Value))], Palette[0]),
        };
        psi.AddRange(charted.Select((feature, k) => new XySeries(
            DisplayFormat.Feature(feature),
            [.. History.Select((s, i) => (i, s.FeatureCsi.TryGetValue(feature, out var v) ? v : double.NaN)).Where(p => !double.IsNaN(p.Item2)).Select(p => ((double)p.i, p.Item2))],
            Palette[(k + 1) % Palette.Length])));
        var top = Math.Max(thresholds.PsiRed * 1.2, psi.SelectMany(s => s.Points).Select(p => p.Y).DefaultIfEmpty(0).Max());
        PsiScale = AxisScale.Fit(top);
        var span = Math.Max(1, History.Count - 1);
        psi.Add(new XySeries($"Red line ({thresholds.PsiRed:0.##})", [(0, thresholds.PsiRed), (span, thresholds.PsiRed)], ChartColors.RaisesRisk, XyStyle.Reference));
        psi.Add(new XySeries($"Amber line ({thresholds.PsiAmber:0.##})", [(0, thresholds.PsiAmber), (span, thresholds.PsiAmber)], ChartColors.Other, XyStyle.Reference));
        PsiSeries = WithMarkersWhenSingle(psi);

        // The back-test: what the model said against what happened, per vintage, with the ±2 standard error band.
        var vintages = Latest.Vintages.OrderBy(v => v.Vintage).ToList();
        VintageAxis = IndexAxis.Of([.. vintages.Select(v => clock.Format(v.Vintage, ViewerClock.Date))]);
        BackTestSeries = WithMarkersWhenSingle(
        [
            new XySeries("Mean PD", [.. vintages.Select((v, i) => ((double)i, v.MeanPd))], ChartColors.Model),
            new XySeries("Observed default rate", [.. vintages.Select((v, i) => ((double)i, v.ObservedRate))], ChartColors.RaisesRisk),
            new XySeries("Mean PD + 2 s.e.", [.. vintages.Select((v, i) => ((double)i, v.MeanPd + (2 * v.StandardError)))], ChartColors.Reference, XyStyle.Reference),
            new XySeries("Mean PD − 2 s.e.", [.. vintages.Select((v, i) => ((double)i, Math.Max(0, v.MeanPd - (2 * v.StandardError))))], ChartColors.Reference, XyStyle.Reference),
        ]);
        BackTestScale = AxisScale.Fit(BackTestSeries.SelectMany(s => s.Points).Select(p => p.Y).DefaultIfEmpty(0.1).Max());

        // The answer mix by day: the approval rate and each declining action's share.
        var days = Latest.Days.OrderBy(d => d.Day).ToList();
        DayAxis = IndexAxis.Of([.. days.Select(d => clock.Format(d.Day, ViewerClock.Date))]);
        var actions = days.SelectMany(d => d.Actions.Keys).Distinct(StringComparer.Ordinal)
            .Where(a => a is not ("APPROVE" or "APPROVE_WITH_CONDITIONS")).Order(StringComparer.Ordinal).ToList();
        MixSeries = WithMarkersWhenSingle(
        [
            new XySeries("Approved (with or without conditions)", [.. days.Select((d, i) => ((double)i, d.ApprovalRate))], ChartColors.LowersRisk),
            .. actions.Select((action, k) => new XySeries(
                action.Replace('_', ' '),
                [.. days.Select((d, i) => ((double)i, d.Decisions == 0 ? 0 : (double)d.Actions.GetValueOrDefault(action) / d.Decisions))],
                Palette[(k + 1) % Palette.Length])),
        ]);

        var hours = Latest.Hours.OrderBy(h => h.Hour).ToList();
        HourAxis = IndexAxis.Of([.. hours.Select(h => clock.Format(h.Hour, hours.Count > 0 && hours[^1].Hour - hours[0].Hour > TimeSpan.FromDays(1) ? ViewerClock.DateTime : ViewerClock.Time))]);
        TrafficSeries = WithMarkersWhenSingle([new XySeries("Decisions per hour", [.. hours.Select((h, i) => ((double)i, (double)h.Decisions))], ChartColors.Model)]);
        TrafficScale = AxisScale.Fit(hours.Select(h => (double)h.Decisions).DefaultIfEmpty(1).Max());
    }

    // A line through one point draws nothing: a lone point is shown as a marker.
    private static List<XySeries> WithMarkersWhenSingle(IEnumerable<XySeries> series) =>
        [.. series.Where(s => s.Points.Count > 0).Select(s => s.Points.Count == 1 && s.Style == XyStyle.Line ? s with { Style = XyStyle.Points } : s)];
}

/// <summary>One row of the stability table.</summary>
/// <param name="Name">"score" or the feature's name.</param>
/// <param name="Label">What a person reads.</param>
/// <param name="Value">PSI (score) or CSI (feature); null without bins.</param>
/// <param name="Light">Its traffic light.</param>
public sealed record StabilityRow(string Name, string Label, double? Value, StabilityLight Light);

/// <summary>An x axis over points 0 … n − 1 labelled by what each point is (a time, a day, a vintage).</summary>
public sealed record IndexAxis(AxisScale Scale, IReadOnlyList<string> Labels)
{
    public static IndexAxis Empty { get; } = new(new AxisScale(1, 1), []);

    /// <summary>About five labelled ticks over the points.</summary>
    public static IndexAxis Of(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var last = Math.Max(1, labels.Count - 1);
        var step = Math.Max(1, (int)Math.Ceiling(last / 5.0));
        return new IndexAxis(new AxisScale(Math.Ceiling((double)last / step) * step, step), labels);
    }

    /// <summary>The label of tick <paramref name="x"/> (empty past the last point).</summary>
    public string Label(double x)
    {
        var i = (int)Math.Round(x);
        return i >= 0 && i < Labels.Count ? Labels[i] : string.Empty;
    }
}

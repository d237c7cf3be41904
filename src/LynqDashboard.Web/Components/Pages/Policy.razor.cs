using System.Globalization;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LynqDashboard.Web.Components.Pages;

/// <summary>
/// The risk policy: the active version's bands and hard rules, its trade-off on the serving version's test rows (approval
/// rate against bad rate among approved and expected loss), a proposal by target approval rate, target bad rate or edited
/// band bounds with its effect before saving, saving (Approver) as a new version, and every version saved.
/// </summary>
public sealed partial class Policy : DashboardPage
{
    private readonly Func<double, string> _tick = v => DisplayFormat.Percent(v, decimals: 0);
    private PolicySnapshot? _snapshot;
    private PolicyEditor? _editor;
    private string _note = string.Empty;
    private AxisScale _badRateScale = new(1, 0.2);
    private AxisScale _lossScale = new(1, 0.2);

    [Inject] private PolicySnapshotLoader Loader { get; set; } = null!;

    [Inject] private ActivePolicy ActivePolicy { get; set; } = null!;

    [Inject] private DashboardActions Actions { get; set; } = null!;

    /// <summary>Saving numbers the policy in the registry; this is what it will be called.</summary>
    private int NextVersion => Math.Max(_snapshot is { History: [var newest, ..] } ? newest.Version : 0, _editor?.Current.Version ?? 0) + 1;

    protected override Severity DoneSeverity => Severity.Success;

    private List<XySeries> BadRateSeries => Series(p => p.BadRateAmongApproved, o => o.BadRateAmongApproved);

    private List<XySeries> LossSeries => Series(p => p.ExpectedLossRate, o => o.ExpectedLossRate);

    protected override async Task OnInitializedAsync()
    {
        await ReadAccessAsync();
        await LoadAsync(Closing);
    }

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        _snapshot = await Loader.LoadAsync(cancellationToken);
        var current = _snapshot.Active?.ToPolicy() ?? ActivePolicy.Current;

        // A failed save keeps the edit; a new active version (saved here or elsewhere) starts a fresh one.
        if (_editor is null || _editor.Current.Version != current.Version)
        {
            _editor = new PolicyEditor(current, _snapshot.TradeOff);
            var curve = _editor.Curve;
            _badRateScale = AxisScale.Fit(curve.Count == 0 ? 1 : curve.Max(p => p.BadRateAmongApproved));
            _lossScale = AxisScale.Fit(curve.Count == 0 ? 1 : curve.Max(p => p.ExpectedLossRate));
        }
    }

    private async Task SaveAsync()
    {
        var proposed = _editor!.Proposed;
        var saved = await RunActionAsync(_ => Actions.SavePolicyAsync(proposed, _note),
            r => $"Policy v{r.Version} saved: every scoring answer uses it from now on (declines from PD {DisplayFormat.Percent(proposed.DeclineCutoff, 2)}).");
        if (saved is not null)
        {
            _note = string.Empty;
        }
    }

    private void Target(double? percent, bool approval)
    {
        if (percent is not { } p || _editor is null)
        {
            return;
        }

        var rate = Math.Clamp(p / 100, 0, 1);
        if (approval)
        {
            _editor.ProposeApprovalRate(rate);
        }
        else
        {
            _editor.ProposeBadRate(rate);
        }
    }

    // The curve, and the current and proposed cutoffs marked on it.
    private List<XySeries> Series(Func<TradeOffPoint, double> y, Func<PolicyOutcome, double> at)
    {
        var e = _editor!;
        var series = new List<XySeries> { new("Approve below a PD cutoff", [.. e.Curve.Select(p => (p.ApprovalRate, y(p)))], ChartColors.Model) };
        if (e.CurrentPoint is { } now)
        {
            series.Add(new XySeries($"Now: decline from {DisplayFormat.Percent(e.Current.DeclineCutoff)}", [(now.ApprovalRate, at(now))], ChartColors.Reference, XyStyle.Points,
                [$"v{e.Current.Version}: {DisplayFormat.Percent(now.ApprovalRate)} approved"]));
        }

        if (e.Changed && e.ProposedPoint is { } proposed)
        {
            series.Add(new XySeries($"Proposed: decline from {DisplayFormat.Percent(e.Proposed.DeclineCutoff)}", [(proposed.ApprovalRate, at(proposed))], ChartColors.Other, XyStyle.Points,
                [$"proposed: {DisplayFormat.Percent(proposed.ApprovalRate)} approved"]));
        }

        return series;
    }

    private static string DeclineOf(PolicyRecord record)
    {
        try
        {
            return DisplayFormat.Percent(record.ToPolicy().DeclineCutoff, 2, trimZeros: true);
        }
        catch (System.Text.Json.JsonException)
        {
            return "unreadable";
        }
    }

    private static double Percent(double fraction) => Math.Round(fraction * 100, 4);

    private static double Fraction(double percent) => Math.Round(percent / 100, 6);

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Usd(double value) => "$" + value.ToString("N2", CultureInfo.InvariantCulture);

    private static string Signed(double delta, string format) =>
        (delta > 0 ? "+" : delta < 0 ? "−" : string.Empty) + Math.Abs(delta).ToString(format, CultureInfo.InvariantCulture);
}

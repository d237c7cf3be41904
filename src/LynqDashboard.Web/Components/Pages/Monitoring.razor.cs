using System.Globalization;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Monitoring;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LynqDashboard.Web.Components.Pages;

/// <summary>
/// Production monitoring of one version: the latest snapshot's stability (score PSI and each feature's CSI against the
/// version's frozen training deciles, with traffic lights), its alerts, the PSI across snapshots, the back-test by
/// vintage, the daily answer mix and the hourly traffic; a Trainer computes a snapshot now. Below, whatever the version
/// picked: the champion against each shadow and the A/B split's arms over the last 30 days.
/// </summary>
public sealed partial class Monitoring : DashboardPage
{
    private readonly Func<double, string> _psiTick = v => v.ToString("0.##", CultureInfo.InvariantCulture);
    private readonly Func<double, string> _rateTick = v => DisplayFormat.Percent(v, decimals: 1, trimZeros: true);
    private readonly Func<double, string> _countTick = v => DisplayFormat.Count((long)Math.Round(v));
    private MonitoringPageData? _data;
    private MonitoringView? _view;
    private ChallengerComparisonView? _challengers;
    private string? _key;
    private string? _cron;

    [Inject] private MonitoringPageLoader Loader { get; set; } = null!;

    [Inject] private MonitoringActions Actions { get; set; } = null!;

    [Inject] private ViewerClock Viewer { get; set; } = null!;

    protected override Severity DoneSeverity => Severity.Success;

    protected override async Task OnInitializedAsync()
    {
        RedrawOn(h => Viewer.Changed += h, h => Viewer.Changed -= h);
        await ReadAccessAsync();
        await LoadAsync(Closing);
        _challengers = await Loader.LoadChallengersAsync(Closing);
    }

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        _data = await Loader.LoadAsync(_key, cancellationToken);
        _key = _data.Selected?.Key;
        _view = MonitoringView.Of(_data.History, Viewer);
    }

    private async Task SelectAsync(string key)
    {
        _key = key;
        await LoadAsync(Closing);
    }

    private Task RunNowAsync() => RunActionAsync(
        cancellationToken => Actions.RunNowAsync(_data!.Selected!.Number, cancellationToken),
        snapshot => snapshot.Alerts.Count == 0
            ? $"Monitoring ran over {DisplayFormat.Count(snapshot.Decisions)} decisions: no alert."
            : $"Monitoring ran over {DisplayFormat.Count(snapshot.Decisions)} decisions: {snapshot.Alerts.Count} alert{(snapshot.Alerts.Count == 1 ? string.Empty : "s")}.");

    private async Task SaveScheduleAsync()
    {
        var saved = await RunActionAsync(cancellationToken => Actions.SetScheduleAsync(_cron, cancellationToken),
            s => $"Monitoring now runs on {s.Cron} (UTC); next run {Viewer.Format(s.NextRun)}.");
        if (saved is not null)
        {
            _cron = null;
        }
    }

    private static Color ColorOf(StabilityLight light) => light switch
    {
        StabilityLight.Green => Color.Success,
        StabilityLight.Amber => Color.Warning,
        StabilityLight.Red => Color.Error,
        _ => Color.Default,
    };

    private static string Words(StabilityLight light) => light switch
    {
        StabilityLight.Green => "stable",
        StabilityLight.Amber => "shifting",
        StabilityLight.Red => "moved",
        _ => "no bins",
    };

    private static string Psi(double? value) => value?.ToString("0.000", CultureInfo.InvariantCulture) ?? "–";
}

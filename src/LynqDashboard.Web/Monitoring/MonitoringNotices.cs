using LynqDashboard.Core.Monitoring;
using LynqDashboard.Web.Hosting;

namespace LynqDashboard.Web.Monitoring;

/// <summary>One current alert: which version's latest snapshot raised it, and when that snapshot was computed.</summary>
public sealed record MonitoringNotice(int? VersionNumber, string ModelVersion, DateTimeOffset SnapshotAt, MonitoringAlert Alert);

/// <summary>
/// The alerts of every version's latest snapshot, for the banner on every page and for the gauges: refreshed after each
/// snapshot computed here and every minute otherwise (another process may have computed one). <see cref="Changed"/>
/// fires when the list is different.
/// </summary>
public sealed class MonitoringNotices(IMonitoringStore store, MonitoringMetrics metrics) : IMonitoringAlertSink
{
    private IReadOnlyList<MonitoringNotice> _current = [];

    /// <summary>Raised (on a background thread) when <see cref="Current"/> changed.</summary>
    public event Action? Changed;

    /// <summary>The current alerts, newest snapshot first.</summary>
    public IReadOnlyList<MonitoringNotice> Current => Volatile.Read(ref _current);

    /// <summary>Reads every version's latest snapshot again.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var latest = await store.LatestPerVersionAsync(cancellationToken).ConfigureAwait(false);
        metrics.Show(latest);
        var notices = latest.SelectMany(s => s.Alerts.Select(a => new MonitoringNotice(s.VersionNumber, s.ModelVersion, s.At, a))).ToList();
        var previous = Interlocked.Exchange(ref _current, notices);
        if (!previous.SequenceEqual(notices))
        {
            Changed?.Invoke();
        }
    }

    async Task IMonitoringAlertSink.PublishAsync(MonitoringSnapshot snapshot, CancellationToken cancellationToken)
    {
        try
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The minute loop tries again; a snapshot is already stored and must not fail for its notice.
        }
    }
}

/// <summary>Refreshes <see cref="MonitoringNotices"/> at start and every minute.</summary>
public sealed class MonitoringNoticeRefresh(MonitoringNotices notices, TimeProvider clock, ILogger<MonitoringNoticeRefresh> logger) : PeriodicService(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(1);

    protected override string Work => "Reading the latest monitoring snapshots for the alert notice";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => notices.RefreshAsync(cancellationToken);
}

using Hangfire;
using LynqDashboard.Core.Monitoring;

namespace LynqDashboard.Web.Monitoring;

/// <summary>The scheduled snapshot of every serving version. Thin: the work is in Core's runner.</summary>
public sealed class MonitoringSnapshotJob(IMonitoringRunner runner, ILogger<MonitoringSnapshotJob> logger)
{
    /// <summary>The recurring job's id in Hangfire.</summary>
    public const string RecurringId = "monitoring-snapshot";

    // Re-entrant (a second run only adds a newer snapshot), but two at once would read the same window twice: the lock
    // makes a late run wait for the one in progress. A failed run is not retried: the next scheduled one comes soon.
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 10 * 60)]
    [JobDisplayName("Monitoring snapshot")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var snapshots = await runner.RunAllAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Monitoring: {Count} snapshot(s), {Decisions:N0} decisions read, {Alerts} alert(s), in {Seconds:0.00} s",
            snapshots.Count, snapshots.Sum(s => s.Decisions), snapshots.Sum(s => s.Alerts.Count), snapshots.Sum(s => s.ComputeSeconds));
    }
}

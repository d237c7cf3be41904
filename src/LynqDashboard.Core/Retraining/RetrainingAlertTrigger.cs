using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Registry;

namespace LynqDashboard.Core.Retraining;

/// <summary>
/// Starts the schedules that run on alerts when a monitoring snapshot of the version in production (the one serving)
/// crosses the PSI red line or has a back-test AUC under its floor: each unpaused OnAlert schedule at most once per
/// <see cref="MinInterval"/>, whatever the number of snapshots or processes that see the alert. A calibration alert does
/// not retrain: recalibrating is a different remedy. Never throws (a sink must not fail the snapshot).
/// </summary>
public sealed class RetrainingAlertTrigger(IRetrainingStore store, IRetrainingScheduler scheduler, IModelRegistry registry, TimeProvider clock) : IMonitoringAlertSink
{
    /// <summary>The shortest time between two alert-started runs of one schedule.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromHours(24);

    public async Task PublishAsync(MonitoringSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.VersionNumber is not { } number || KindOf(snapshot.Alerts) is not { } kind)
        {
            return;
        }

        try
        {
            var serving = await registry.QueryVersionsAsync(new VersionQuery(Status: VersionStatus.Production, Take: 1), cancellationToken).ConfigureAwait(false);
            if (serving.Items is not [{ Number: var production }] || production != number)
            {
                return;
            }

            var now = clock.GetUtcNow();
            foreach (var schedule in await store.ListSchedulesAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!schedule.OnAlert || schedule.Paused || (schedule.LastAlertRunAt is { } last && now - last <= MinInterval))
                {
                    continue;
                }

                await store.UpdateScheduleAsync(schedule.Id, s => s.LastAlertRunAt = now, cancellationToken).ConfigureAwait(false);
                scheduler.EnqueueRun(schedule.Id, $"alert: {kind} on v{number}");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The snapshot is stored and the notice shows the alert; the next snapshot tries again.
        }
    }

    /// <summary>"psi_red" or "backtest_auc" (PSI first), or null when the alerts hold neither.</summary>
    public static string? KindOf(IReadOnlyList<MonitoringAlert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        return alerts.Any(a => a.Kind == MonitoringAlertKind.Psi) ? "psi_red"
            : alerts.Any(a => a.Kind == MonitoringAlertKind.BackTestAuc) ? "backtest_auc"
            : null;
    }
}

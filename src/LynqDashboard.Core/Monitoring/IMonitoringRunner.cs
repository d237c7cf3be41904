namespace LynqDashboard.Core.Monitoring;

/// <summary>Computes monitoring snapshots, stores them and raises their alerts (notice, gauges, webhook).</summary>
public interface IMonitoringRunner
{
    /// <summary>One snapshot of one version's decisions (null: the fallback's) over the configured window, now.</summary>
    Task<MonitoringSnapshot> RunAsync(int? versionNumber, CancellationToken cancellationToken = default);

    /// <summary>
    /// What the schedule runs: a snapshot of the production version, and of every other version (or the fallback) that
    /// decided within the window.
    /// </summary>
    Task<IReadOnlyList<MonitoringSnapshot>> RunAllAsync(CancellationToken cancellationToken = default);
}

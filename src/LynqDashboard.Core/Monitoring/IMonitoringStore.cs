namespace LynqDashboard.Core.Monitoring;

/// <summary>Where frozen bins, snapshots and the monitoring schedule are kept (the registry database).</summary>
public interface IMonitoringStore
{
    Task<MonitoringBaseline?> GetBaselineAsync(int versionNumber, CancellationToken cancellationToken = default);

    /// <summary>Stores a version's bins once; a second save for the same version keeps the first (bins are frozen).</summary>
    Task SaveBaselineAsync(MonitoringBaseline baseline, CancellationToken cancellationToken = default);

    Task AddSnapshotAsync(MonitoringSnapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>The newest snapshot of a version (null: the fallback's), or null when none was computed.</summary>
    Task<MonitoringSnapshot?> LatestSnapshotAsync(int? versionNumber, CancellationToken cancellationToken = default);

    /// <summary>A version's snapshots, newest first.</summary>
    Task<IReadOnlyList<MonitoringSnapshot>> ListSnapshotsAsync(int? versionNumber, int take = 200, CancellationToken cancellationToken = default);

    /// <summary>The newest snapshot of every version that has one, newest first (what the alert notice reads).</summary>
    Task<IReadOnlyList<MonitoringSnapshot>> LatestPerVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>A stored setting (e.g. the monitoring cron an Admin set); null when never set.</summary>
    Task<StoredSetting?> GetSettingAsync(string key, CancellationToken cancellationToken = default);

    Task SaveSettingAsync(StoredSetting setting, CancellationToken cancellationToken = default);

    /// <summary>Every stored setting whose key starts with <paramref name="prefix"/> (e.g. each process's dropped-decision count).</summary>
    Task<IReadOnlyList<StoredSetting>> ListSettingsAsync(string prefix, CancellationToken cancellationToken = default);
}

/// <summary>One dashboard setting kept in the registry, so it survives a restart and is shared by every process.</summary>
public sealed class StoredSetting
{
    public required string Key { get; init; }

    public required string Value { get; set; }

    public required string UpdatedBy { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

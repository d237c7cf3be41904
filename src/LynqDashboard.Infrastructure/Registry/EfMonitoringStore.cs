using LynqDashboard.Core.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace LynqDashboard.Infrastructure.Registry;

/// <summary>Frozen bins, snapshots and settings in the registry database.</summary>
public sealed class EfMonitoringStore(IDbContextFactory<RegistryDbContext> contexts, TimeProvider clock) : IMonitoringStore
{
    private readonly IDbContextFactory<RegistryDbContext> _contexts = contexts;
    private readonly TimeProvider _clock = clock;

    public Task<MonitoringBaseline?> GetBaselineAsync(int versionNumber, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task SaveBaselineAsync(MonitoringBaseline baseline, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task AddSnapshotAsync(MonitoringSnapshot snapshot, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<MonitoringSnapshot?> LatestSnapshotAsync(int? versionNumber, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<IReadOnlyList<MonitoringSnapshot>> ListSnapshotsAsync(int? versionNumber, int take = 200, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<IReadOnlyList<MonitoringSnapshot>> LatestPerVersionAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<StoredSetting?> GetSettingAsync(string key, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task SaveSettingAsync(StoredSetting setting, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<IReadOnlyList<StoredSetting>> ListSettingsAsync(string prefix, CancellationToken cancellationToken = default) => throw new NotImplementedException();
}

using System.Text.Json;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Serialization;
using Microsoft.EntityFrameworkCore;

namespace LynqDashboard.Infrastructure.Registry;

/// <summary>Frozen bins, snapshots and settings in the registry database; bins and snapshots are stored whole as JSON.</summary>
public sealed class EfMonitoringStore(IDbContextFactory<RegistryDbContext> contexts, TimeProvider clock) : IMonitoringStore
{
    // Dictionary keys are data (feature names, action names such as APPROVE): stored as they are.
    private static readonly JsonSerializerOptions Json = new(LynqJson.Compact) { DictionaryKeyPolicy = null };

    public async Task<MonitoringBaseline?> GetBaselineAsync(int versionNumber, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.MonitoringBaselines.AsNoTracking().FirstOrDefaultAsync(b => b.VersionNumber == versionNumber, cancellationToken).ConfigureAwait(false);
        return row is null ? null : JsonSerializer.Deserialize<MonitoringBaseline>(row.Json, Json);
    }

    public async Task SaveBaselineAsync(MonitoringBaseline baseline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await db.MonitoringBaselines.AnyAsync(b => b.VersionNumber == baseline.VersionNumber, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        db.MonitoringBaselines.Add(new MonitoringBaselineRow
        {
            VersionNumber = baseline.VersionNumber,
            ComputedAt = baseline.ComputedAt,
            Json = JsonSerializer.Serialize(baseline, Json),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Another process froze this version's bins a moment earlier: the first bins stay, which is the point.
        }
    }

    public async Task AddSnapshotAsync(MonitoringSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.MonitoringSnapshots.Add(new MonitoringSnapshotRow
        {
            Id = snapshot.Id,
            VersionNumber = snapshot.VersionNumber,
            At = snapshot.At,
            Decisions = snapshot.Decisions,
            ScorePsi = snapshot.ScorePsi,
            AlertCount = snapshot.Alerts.Count,
            Json = JsonSerializer.Serialize(snapshot, Json),
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<MonitoringSnapshot?> LatestSnapshotAsync(int? versionNumber, CancellationToken cancellationToken = default) =>
        await ListSnapshotsAsync(versionNumber, 1, cancellationToken).ConfigureAwait(false) is [var latest, ..] ? latest : null;

    public async Task<IReadOnlyList<MonitoringSnapshot>> ListSnapshotsAsync(int? versionNumber, int take = 200, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.MonitoringSnapshots.AsNoTracking()
            .Where(s => s.VersionNumber == versionNumber)
            .OrderByDescending(s => s.At)
            .Take(Math.Clamp(take, 1, 10_000))
            .Select(s => s.Json)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(Read)];
    }

    public async Task<IReadOnlyList<MonitoringSnapshot>> LatestPerVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);

        // Few versions are ever monitored, so one small query per version reads clearer than a grouped one both databases translate alike.
        var versions = await db.MonitoringSnapshots.AsNoTracking().Select(s => s.VersionNumber).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
        var latest = new List<MonitoringSnapshot>(versions.Count);
        foreach (var version in versions)
        {
            var json = await db.MonitoringSnapshots.AsNoTracking().Where(s => s.VersionNumber == version)
                .OrderByDescending(s => s.At).Select(s => s.Json).FirstAsync(cancellationToken).ConfigureAwait(false);
            latest.Add(Read(json));
        }

        return [.. latest.OrderByDescending(s => s.At)];
    }

    public async Task<StoredSetting?> GetSettingAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == key, cancellationToken).ConfigureAwait(false);
    }

    public async Task SaveSettingAsync(StoredSetting setting, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var now = clock.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var stored = await db.Settings.FirstOrDefaultAsync(s => s.Key == setting.Key, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                db.Settings.Add(new StoredSetting { Key = setting.Key, Value = setting.Value, UpdatedBy = setting.UpdatedBy, UpdatedAt = now });
            }
            else
            {
                stored.Value = setting.Value;
                stored.UpdatedBy = setting.UpdatedBy;
                stored.UpdatedAt = now;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                setting.UpdatedAt = now;
                return;
            }
            catch (DbUpdateException e) when (attempt == 0 && DbErrors.IsUniqueViolation(e))
            {
                // Two processes saved a new key at once: the second becomes an update of the first.
            }
        }
    }

    public async Task<IReadOnlyList<StoredSetting>> ListSettingsAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Settings.AsNoTracking().Where(s => s.Key.StartsWith(prefix)).OrderBy(s => s.Key).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    private static MonitoringSnapshot Read(string json) =>
        JsonSerializer.Deserialize<MonitoringSnapshot>(json, Json) ?? throw new InvalidDataException("A stored monitoring snapshot is empty.");
}

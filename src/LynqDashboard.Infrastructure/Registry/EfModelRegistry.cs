using LynqDashboard.Core;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace LynqDashboard.Infrastructure.Registry;

/// <summary>
/// The registry on EF Core. One short-lived context per call, so Blazor circuits and background jobs can
/// share it; queries run in SQL so the grid stays fast with thousands of versions.
/// </summary>
public sealed class EfModelRegistry(IDbContextFactory<RegistryDbContext> contexts, TimeProvider clock) : IModelRegistry
{
    // Each loser of a numbering race retries; with many concurrent adds one can lose several times in a row.
    private const int NumberingAttempts = 30;

    public async Task<DatasetRecord> AddDatasetAsync(DatasetRecord dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.CreatedAt == default)
        {
            dataset.CreatedAt = clock.GetUtcNow();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return dataset;
    }

    public async Task<DatasetRecord?> GetDatasetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DatasetRecord>> ListDatasetsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Datasets.AsNoTracking().OrderByDescending(d => d.CreatedAt).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<DatasetRecord?> UpdateDatasetAsync(Guid id, Action<DatasetRecord> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var dataset = await db.Datasets.FirstOrDefaultAsync(d => d.Id == id, cancellationToken).ConfigureAwait(false);
        if (dataset is null)
        {
            return null;
        }

        change(dataset);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return dataset;
    }

    public async Task<ModelVersionRecord> AddVersionAsync(ModelVersionRecord version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (version.CreatedAt == default)
        {
            version.CreatedAt = clock.GetUtcNow();
        }

        // Two clicks at once read the same maximum; the unique index turns the loser into a retry.
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            version.Number = (await db.Versions.MaxAsync(v => (int?)v.Number, cancellationToken).ConfigureAwait(false) ?? 0) + 1;
            db.Versions.Add(version);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return version;
            }
            catch (DbUpdateException) when (attempt < NumberingAttempts)
            {
                await Task.Delay(Random.Shared.Next(5, 25), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task<ModelVersionRecord?> GetVersionAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Versions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ModelVersionRecord?> GetVersionByNumberAsync(int number, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Versions.AsNoTracking().FirstOrDefaultAsync(v => v.Number == number, cancellationToken).ConfigureAwait(false);
    }

    public async Task<VersionPage> QueryVersionsAsync(VersionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var versions = db.Versions.AsNoTracking();
        if (query.Status is { } status)
        {
            versions = versions.Where(v => v.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var text = query.Search.Trim();
            var number = int.TryParse(text.TrimStart('v', 'V'), out var n) ? n : -1;

            // Lower-cased on both sides: SQLite's LIKE ignores case, PostgreSQL's does not. The user's % and _ match literally.
            var pattern = $"%{text.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal)}%";
            versions = versions.Where(v => v.Number == number || EF.Functions.Like(v.Tags.ToLower(), pattern, "\\") || EF.Functions.Like(v.Notes.ToLower(), pattern, "\\"));
        }

        var total = await versions.CountAsync(cancellationToken).ConfigureAwait(false);
        var items = await VersionSort.Apply(versions, query.SortBy, query.Descending)
            .Skip(Math.Max(0, query.Skip))
            .Take(Math.Clamp(query.Take, 1, 500))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new VersionPage(items, total);
    }

    public async Task<ModelVersionRecord?> UpdateVersionAsync(Guid id, Action<ModelVersionRecord> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var version = await db.Versions.FirstOrDefaultAsync(v => v.Id == id, cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            return null;
        }

        change(version);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return version;
    }

    public async Task<bool> DeleteVersionAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var version = await db.Versions.FirstOrDefaultAsync(v => v.Id == id, cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            return false;
        }

        if (version.Status == VersionStatus.Production)
        {
            throw LynqException.Conflict($"{version.Label} is in production and cannot be deleted.");
        }

        db.Versions.Remove(version);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<ActiveRuns> ListActiveRunsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var datasets = await ActiveDatasets(db).AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        var versions = await ActiveVersions(db).AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        return new ActiveRuns(datasets, versions);
    }

    public async Task<int> MarkInterruptedAsync(string message, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var versions = await ActiveVersions(db).ToListAsync(cancellationToken).ConfigureAwait(false);
        var datasets = await ActiveDatasets(db).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var v in versions)
        {
            (v.Status, v.Error, v.FinishedAt, v.Progress.Stage) = (RunStatusMaps.Versions.StatusFor(RunState.Interrupted), message, now, RunStatusMaps.Versions.StageOf(RunState.Interrupted));
        }

        foreach (var d in datasets)
        {
            (d.Status, d.Error, d.FinishedAt, d.Progress.Stage) = (RunStatusMaps.Datasets.StatusFor(RunState.Interrupted), message, now, RunStatusMaps.Datasets.StageOf(RunState.Interrupted));
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return versions.Count + datasets.Count;
    }

    // Status sets from the one definition of an active run, inlined so the query runs in SQL as status IN (...).
    private static IQueryable<ModelVersionRecord> ActiveVersions(RegistryDbContext db) =>
        db.Versions.Where(v => EF.Constant(RunStatusMaps.Versions.Active).Contains(v.Status));

    private static IQueryable<DatasetRecord> ActiveDatasets(RegistryDbContext db) =>
        db.Datasets.Where(d => EF.Constant(RunStatusMaps.Datasets.Active).Contains(d.Status));
}

using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace LynqDashboard.Infrastructure.Registry;

/// <summary>Promotions and the audit log on EF Core; the production change is one transaction.</summary>
public sealed class EfPromotionRegistry(IDbContextFactory<RegistryDbContext> contexts, TimeProvider clock) : IPromotionRegistry, IAuditLog
{
    public async Task<PromotionRecord> AddPromotionAsync(PromotionRecord promotion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(promotion);
        if (promotion.CreatedAt == default)
        {
            promotion.CreatedAt = clock.GetUtcNow();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Promotions.Add(promotion);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException e) when (promotion.Status.IsActive() && DbErrors.IsUniqueViolation(e))
        {
            // The filtered unique index (one active promotion per bucket) refused it: another request won the race.
            throw new PromotionConflictException(promotion.Bucket, e);
        }

        return promotion;
    }

    public async Task<PromotionRecord?> GetPromotionAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Promotions.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PromotionRecord>> ListPromotionsAsync(string? bucket = null, Guid? versionId = null, int take = 100, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Promotions.AsNoTracking();
        if (bucket is not null)
        {
            query = query.Where(p => p.Bucket == bucket);
        }

        if (versionId is { } id)
        {
            query = query.Where(p => p.VersionId == id);
        }

        return await query.OrderByDescending(p => p.CreatedAt).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PromotionRecord>> ListActivePromotionsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await Active(db).AsNoTracking()
            .OrderBy(p => p.CreatedAt).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<PromotionRecord?> UpdatePromotionAsync(Guid id, Action<PromotionRecord> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var promotion = await db.Promotions.FirstOrDefaultAsync(p => p.Id == id, cancellationToken).ConfigureAwait(false);
        if (promotion is null)
        {
            return null;
        }

        change(promotion);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return promotion;
    }

    public async Task<PromotionRecord> CompletePromotionAsync(Guid promotionId, Action<PromotionRecord> finish, AuditEvent audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(finish);
        ArgumentNullException.ThrowIfNull(audit);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var promotion = await db.Promotions.FirstOrDefaultAsync(p => p.Id == promotionId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The promotion record is gone.");
        var target = await db.Versions.FirstOrDefaultAsync(v => v.Id == promotion.VersionId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"v{promotion.VersionNumber} is no longer in the registry.");
        foreach (var serving in await db.Versions.Where(v => v.Status == VersionStatus.Production && v.Id != target.Id).ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            serving.Status = VersionStatus.Archived;
        }

        target.Status = VersionStatus.Production;
        finish(promotion);
        db.AuditEvents.Add(audit);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return promotion;
    }

    public async Task<int> MarkPromotionsInterruptedAsync(string message, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var stuck = await Active(db).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var p in stuck)
        {
            (p.Status, p.Error, p.FinishedAt, p.Progress.Stage) = (RunStatusMaps.Promotions.StatusFor(RunState.Interrupted), message, now, RunStatusMaps.Promotions.StageOf(RunState.Interrupted));
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return stuck.Count;
    }

    public async Task AppendAsync(AuditEvent entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.At == default)
        {
            entry.At = clock.GetUtcNow();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.AuditEvents.Add(entry);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AuditEvent>> ListAsync(int skip = 0, int take = 100, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.AuditEvents.AsNoTracking().OrderByDescending(a => a.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 1000))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    // The statuses of an active run from its one definition, inlined so the query runs in SQL as status IN (...).
    private static IQueryable<PromotionRecord> Active(RegistryDbContext db) =>
        db.Promotions.Where(p => EF.Constant(RunStatusMaps.Promotions.Active).Contains(p.Status));
}

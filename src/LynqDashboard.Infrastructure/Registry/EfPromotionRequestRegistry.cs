using LynqDashboard.Core;
using LynqDashboard.Core.Governance;
using Microsoft.EntityFrameworkCore;

namespace LynqDashboard.Infrastructure.Registry;

/// <summary>Promotion requests on EF Core; a decision is a conditional update, so of two approvers at once only one wins.</summary>
public sealed class EfPromotionRequestRegistry(IDbContextFactory<RegistryDbContext> contexts) : IPromotionRequestRegistry
{
    public async Task<PromotionRequestRecord> AddRequestAsync(PromotionRequestRecord request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.PromotionRequests.Add(request);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            throw LynqException.Conflict($"v{request.VersionNumber} already has a pending promotion request; approve, reject or withdraw it first.", e);
        }

        return request;
    }

    public async Task<PromotionRequestRecord?> GetRequestAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.PromotionRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PromotionRequestRecord>> ListRequestsAsync(Guid? versionId = null, PromotionRequestStatus? status = null, int take = 100, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.PromotionRequests.AsNoTracking();
        if (versionId is { } version)
        {
            query = query.Where(r => r.VersionId == version);
        }

        if (status is { } wanted)
        {
            query = query.Where(r => r.Status == wanted);
        }

        return await query.OrderByDescending(r => r.RequestedAt).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DecidePendingAsync(Guid id, Action<PromotionRequestRecord> decide, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decide);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var request = await db.PromotionRequests.FirstOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
        if (request is not { Status: PromotionRequestStatus.Pending })
        {
            return false;
        }

        decide(request);

        // Only a row still Pending is changed: a decision saved by someone else in the meantime leaves 0 rows here.
        var changed = await db.PromotionRequests.Where(r => r.Id == id && r.Status == PromotionRequestStatus.Pending).ExecuteUpdateAsync(set => set
            .SetProperty(r => r.Status, request.Status)
            .SetProperty(r => r.DecidedBy, request.DecidedBy)
            .SetProperty(r => r.DecidedAt, request.DecidedAt)
            .SetProperty(r => r.DecisionComment, request.DecisionComment)
            .SetProperty(r => r.PromotionId, request.PromotionId)
            .SetProperty(r => r.SecondApproverRequired, request.SecondApproverRequired), cancellationToken).ConfigureAwait(false);
        return changed == 1;
    }

    public async Task<PromotionRequestRecord?> UpdateRequestAsync(Guid id, Action<PromotionRequestRecord> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var request = await db.PromotionRequests.FirstOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return null;
        }

        change(request);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return request;
    }
}

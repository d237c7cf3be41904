using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Core.Promotion;

/// <summary>
/// What people ask of production: promote a version, roll back, retry. Validates, writes the record and an audit
/// line, then queues the job; one promotion or rollback runs per bucket at a time.
/// </summary>
public sealed class PromotionCommands(
    IModelRegistry registry,
    IPromotionRegistry promotions,
    IAuditLog audit,
    IJobScheduler scheduler,
    PromotionTarget target,
    TimeProvider clock)
{
    /// <summary>Shortest written reason accepted for promoting a version the leakage check flagged.</summary>
    public const int MinLeakageReasonLength = 20;

    public PromotionTarget Target => target;

    /// <summary>
    /// Queues the promotion an approved request asked for: to the bucket when one is configured, otherwise the
    /// registry's production designation alone (which MODEL_SOURCE=local serves). Internal: outside Core the only way
    /// to production is an approval (<see cref="Governance"/>'s PromotionRequests), so no caller can skip the four eyes.
    /// </summary>
    /// <param name="versionNumber">The version to promote (v{n}).</param>
    /// <param name="actor">Who approved; recorded as promoted_by.</param>
    /// <param name="leakageReason">Why a version flagged for leakage should go to production anyway; ignored otherwise.</param>
    /// <param name="requestId">The approved request this carries out.</param>
    /// <param name="cancellationToken">Cancels the request, not the job.</param>
    internal async Task<PromotionRecord> PromoteAsync(int versionNumber, string actor, string? leakageReason = null, Guid? requestId = null, CancellationToken cancellationToken = default)
    {
        var bucket = target.RecordBucket;
        var version = await registry.GetVersionByNumberAsync(versionNumber, cancellationToken).ConfigureAwait(false)
            ?? throw LynqException.NotFound($"There is no v{versionNumber}.", "version");
        if (!version.Status.IsUsable())
        {
            throw LynqException.Conflict($"{version.Label} is {version.Status.ToString().ToLowerInvariant()}; only a trained (Ready) version can be promoted.");
        }

        var reason = string.IsNullOrWhiteSpace(leakageReason) ? null : leakageReason.Trim();
        if (!string.IsNullOrEmpty(version.LeakageSuspects) && (reason?.Length ?? 0) < MinLeakageReasonLength)
        {
            throw LynqException.Invalid("leakage_reason", $"{version.Label} is flagged for target leakage ({version.LeakageSuspects}); write why it should go to production anyway (at least {MinLeakageReasonLength} characters).");
        }

        await EnsureIdleAsync(bucket, cancellationToken).ConfigureAwait(false);
        var production = await ProductionAsync(cancellationToken).ConfigureAwait(false);
        var prefix = bucket.Length == 0 ? string.Empty : PromotionLayout.Prefix(target.KeyPrefixTemplate, version.Number);
        return await QueueAsync(new PromotionRecord
        {
            Kind = PromotionKind.Promote,
            VersionId = version.Id,
            VersionNumber = version.Number,
            PreviousVersionNumber = production?.Number,
            Bucket = bucket,
            KeyPrefix = prefix,
            PointerKey = target.RecordPointerKey,
            RequestId = requestId,
            RequestedBy = Actor(actor),
            LeakageReason = string.IsNullOrEmpty(version.LeakageSuspects) ? null : reason,
            CreatedAt = clock.GetUtcNow(),
        }, bucket.Length == 0 ? "the registry (no bucket: MODEL_SOURCE=local serves it)" : $"s3://{bucket}/{prefix}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The version a rollback would return to (the one production replaced last), or null with the reason.</summary>
    public async Task<(PromotionRecord? Source, string? Reason)> RollbackTargetAsync(CancellationToken cancellationToken = default)
    {
        var bucket = target.RecordBucket;
        var where = PromotionRecord.WhereOf(bucket);
        var production = await ProductionAsync(cancellationToken).ConfigureAwait(false);
        if (production is null)
        {
            return (null, "Nothing is in production yet.");
        }

        var history = await promotions.ListPromotionsAsync(bucket, take: 500, cancellationToken: cancellationToken).ConfigureAwait(false);
        // A re-promotion of the serving version replaced itself: look past it to the last real change.
        var current = history.FirstOrDefault(p => p.Status == PromotionStatus.Succeeded && p.VersionNumber == production.Number
            && p.PreviousVersionNumber is { } before && before != production.Number);
        if (current?.PreviousVersionNumber is not { } previous)
        {
            return (null, $"{production.Label} was the first version promoted to {where}; there is nothing to roll back to.");
        }

        var source = history.FirstOrDefault(p => p.Status == PromotionStatus.Succeeded && p.VersionNumber == previous && (p.IsRegistryOnly || p.ManifestKey is not null));
        return source is null
            ? (null, $"No successful promotion of v{previous} to {where} is on record.")
            : (source, null);
    }

    /// <summary>
    /// Queues a rollback to the version production replaced last (in the bucket, or the registry's designation when
    /// promotion to S3 is off). One action for an Approver: an incident cannot wait for a second person.
    /// </summary>
    public async Task<PromotionRecord> RollbackAsync(string actor, CancellationToken cancellationToken = default)
    {
        var bucket = target.RecordBucket;
        var (source, reason) = await RollbackTargetAsync(cancellationToken).ConfigureAwait(false);
        if (source is null)
        {
            throw LynqException.Conflict(reason!);
        }

        await EnsureIdleAsync(bucket, cancellationToken).ConfigureAwait(false);
        var production = await ProductionAsync(cancellationToken).ConfigureAwait(false);
        return await QueueAsync(new PromotionRecord
        {
            Kind = PromotionKind.Rollback,
            VersionId = source.VersionId,
            VersionNumber = source.VersionNumber,
            PreviousVersionNumber = production?.Number,
            Bucket = bucket,
            KeyPrefix = source.KeyPrefix,
            PointerKey = target.RecordPointerKey,
            ManifestKey = source.ManifestKey,
            RequestedBy = Actor(actor),
            CreatedAt = clock.GetUtcNow(),
        }, bucket.Length == 0 ? $"the registry → v{source.VersionNumber}" : $"s3://{bucket}/{target.PointerKey} → {source.ManifestKey}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks again for a promotion or rollback that failed or was interrupted, as a new record (the failed one stays in the history).</summary>
    public async Task<PromotionRecord> RetryAsync(Guid promotionId, string actor, CancellationToken cancellationToken = default)
    {
        var failed = await promotions.GetPromotionAsync(promotionId, cancellationToken).ConfigureAwait(false)
            ?? throw LynqException.NotFound("That promotion is not on record.", "promotion");
        if (!failed.Status.State().IsRetryable())
        {
            throw LynqException.Conflict($"The {failed.Label} is {failed.Status.ToString().ToLowerInvariant()}; only failed or interrupted ones can be retried.");
        }

        // A promotion is retried under the approval it carried out; one without (from before approvals) needs a new request.
        return failed.Kind == PromotionKind.Rollback
            ? await RollbackAsync(actor, cancellationToken).ConfigureAwait(false)
            : failed.RequestId is { } approved
                ? await PromoteAsync(failed.VersionNumber, actor, failed.LeakageReason, approved, cancellationToken).ConfigureAwait(false)
                : throw LynqException.Conflict($"The {failed.Label} was not carried out under an approved request; ask for a promotion of v{failed.VersionNumber} again.");
    }

    private async Task<PromotionRecord> QueueAsync(PromotionRecord promotion, string where, CancellationToken cancellationToken)
    {
        promotion.Progress = new JobProgress { Stage = "queued" };
        try
        {
            await promotions.AddPromotionAsync(promotion, cancellationToken).ConfigureAwait(false);
        }
        catch (PromotionConflictException conflict)
        {
            // Another request slipped in after the check above: name it the same way.
            await EnsureIdleAsync(promotion.Bucket, cancellationToken, conflict).ConfigureAwait(false);
            throw;
        }

        // Production only changes when an active promotion completes, and this record is now the bucket's only
        // active one: read it again so "previous version" is exactly what this run replaces.
        var production = await ProductionAsync(cancellationToken).ConfigureAwait(false);
        if (production?.Number != promotion.PreviousVersionNumber)
        {
            promotion = await promotions.UpdatePromotionAsync(promotion.Id, p => p.PreviousVersionNumber = production?.Number, cancellationToken).ConfigureAwait(false) ?? promotion;
        }

        await audit.AppendAsync(new AuditEvent
        {
            At = clock.GetUtcNow(),
            Actor = promotion.RequestedBy,
            Action = $"{promotion.Verb}.requested",
            Subject = $"v{promotion.VersionNumber}",
            Detail = promotion.LeakageReason is null ? where : $"{where}; leakage accepted because: {promotion.LeakageReason}",
        }, cancellationToken).ConfigureAwait(false);
        var jobId = scheduler.EnqueuePromotion(promotion.Id);
        return await promotions.UpdatePromotionAsync(promotion.Id, p => p.JobId = jobId, cancellationToken).ConfigureAwait(false) ?? promotion;
    }

    // A quick look first, for the friendly message; the registry's one-active-per-bucket rule is what really decides.
    private async Task EnsureIdleAsync(string bucket, CancellationToken cancellationToken, PromotionConflictException? conflict = null)
    {
        var active = (await promotions.ListActivePromotionsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => p.Bucket == bucket);
        if (active is not null)
        {
            throw LynqException.Conflict($"The {active.Label} to {active.Where} is still {active.Status.ToString().ToLowerInvariant()}; wait for it to finish.", conflict);
        }
    }

    private async Task<ModelVersionRecord?> ProductionAsync(CancellationToken cancellationToken) =>
        (await registry.QueryVersionsAsync(new VersionQuery(Status: VersionStatus.Production, Take: 1), cancellationToken).ConfigureAwait(false)).Items is [var first, ..] ? first : null;

    private static string Actor(string actor) => string.IsNullOrWhiteSpace(actor) ? "unknown" : actor.Trim();
}

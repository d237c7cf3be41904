using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Core.Workflows;

/// <summary>
/// Finds runs that wait on a job that will never finish them (deleted in the jobs dashboard, failed on a lock
/// timeout, lost with the job store, or stuck on a worker that died) and marks them Interrupted with words that
/// say what happened and to retry, so nothing stays Queued or Running for ever. Safe to run in several processes
/// at once and as often as wanted: a record is only changed while it is still active with the same job.
/// </summary>
public sealed class StalledRunRecovery(
    IModelRegistry registry,
    IPromotionRegistry promotions,
    IAuditLog audit,
    IJobInspector jobs,
    IRunUpdatePublisher publisher,
    TimeProvider clock,
    StalledRunRules rules)
{
    private const string Interrupted = "interrupted";

    // Datasets and versions found stalled by the previous sweep, with the job they waited on. A retry sets the record
    // Queued a moment before it stores the new job id, so one sighting could be that moment; two sweeps agreeing is not.
    private Dictionary<Guid, string?> _suspects = [];

    /// <summary>Checks every active run once; returns how many were marked Interrupted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var recovered = 0;
        foreach (var promotion in await promotions.ListActivePromotionsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await StallReasonAsync(promotion, promotion.Status == PromotionStatus.Queued, countsOrphans: true, cancellationToken).ConfigureAwait(false) is { } reason
                && await InterruptAsync(promotion, reason).ConfigureAwait(false))
            {
                recovered++;
            }
        }

        var active = await registry.ListActiveRunsAsync(cancellationToken).ConfigureAwait(false);
        var suspects = new Dictionary<Guid, string?>();
        foreach (var dataset in active.Datasets)
        {
            var reason = await StallReasonAsync(dataset, dataset.Status == DatasetStatus.Queued, countsOrphans: false, cancellationToken).ConfigureAwait(false);
            if (reason is not null && Confirmed(suspects, dataset) && await InterruptAsync(dataset, reason).ConfigureAwait(false))
            {
                recovered++;
            }
        }

        foreach (var version in active.Versions)
        {
            var reason = await StallReasonAsync(version, version.Status == VersionStatus.Queued, countsOrphans: false, cancellationToken).ConfigureAwait(false);
            if (reason is not null && Confirmed(suspects, version) && await InterruptAsync(version, reason).ConfigureAwait(false))
            {
                recovered++;
            }
        }

        _suspects = suspects;
        return recovered;
    }

    // Why the record will never finish, or null while its job may still finish it.
    // Durable job storage hands a dead worker's generation or training to another worker (after
    // Lynq:Storage:JobTimeoutSeconds), which resumes it, so only promotions count an orphaned job as stalled: a
    // rollback during an incident should not wait minutes to be told to retry.
    private async Task<string?> StallReasonAsync(JobRecord record, bool queued, bool countsOrphans, CancellationToken cancellationToken)
    {
        if (record.JobId is null)
        {
            return queued && clock.GetUtcNow() - record.CreatedAt > rules.QueuedWithoutJob
                ? $"It was never handed to a job runner (the process stopped while queuing it, {(clock.GetUtcNow() - record.CreatedAt).TotalMinutes:0} min ago)."
                : null;
        }

        return await jobs.InspectAsync(record.JobId, cancellationToken).ConfigureAwait(false) switch
        {
            JobFate.Deleted => $"Its job {record.JobId} was deleted (in the jobs dashboard).",
            JobFate.Failed => $"Its job {record.JobId} failed before it could finish the record (for example it waited too long for another promotion's lock).",
            JobFate.Succeeded => $"Its job {record.JobId} ended without finishing the record.",
            JobFate.Missing => $"Its job {record.JobId} no longer exists (the job store was reset or the job expired).",
            JobFate.Orphaned when countsOrphans => $"The worker running its job {record.JobId} stopped answering.",
            _ => null,
        };
    }

    private bool Confirmed(Dictionary<Guid, string?> suspects, JobRecord record)
    {
        suspects[record.Id] = record.JobId;
        return _suspects.TryGetValue(record.Id, out var jobId) && jobId == record.JobId;
    }

    private async Task<bool> InterruptAsync(PromotionRecord promotion, string reason)
    {
        var message = $"{reason} Nothing more will happen to this {(promotion.Kind == PromotionKind.Rollback ? "rollback" : "promotion")}; "
            + $"the production pointer is where its last completed step left it. Retry it.";
        var changed = false;
        var saved = await promotions.UpdatePromotionAsync(promotion.Id, p =>
        {
            if (p.Status.IsActive() && p.JobId == promotion.JobId)
            {
                (p.Status, p.Error, p.FinishedAt, p.Progress.Stage) = (PromotionStatus.Interrupted, message, clock.GetUtcNow(), Interrupted);
                changed = true;
            }
        }, CancellationToken.None).ConfigureAwait(false);
        if (!changed || saved is null)
        {
            return false;
        }

        await audit.AppendAsync(new AuditEvent
        {
            At = clock.GetUtcNow(), Actor = "system", Action = $"{(promotion.Kind == PromotionKind.Rollback ? "rollback" : "promotion")}.interrupted",
            Subject = $"v{promotion.VersionNumber}", Detail = $"s3://{promotion.Bucket}: {message}",
        }, CancellationToken.None).ConfigureAwait(false);
        publisher.Publish(new RunUpdate(RunKind.Promotion, promotion.Id, nameof(PromotionStatus.Interrupted), saved.Progress.Copy(), message, saved.Label));
        return true;
    }

    private async Task<bool> InterruptAsync(DatasetRecord dataset, string reason)
    {
        var message = $"{reason} Nothing more will happen to this generation; retry it.";
        var changed = false;
        var saved = await registry.UpdateDatasetAsync(dataset.Id, d =>
        {
            if (d.Status.IsActive() && d.JobId == dataset.JobId)
            {
                (d.Status, d.Error, d.FinishedAt, d.Progress.Stage) = (DatasetStatus.Interrupted, message, clock.GetUtcNow(), Interrupted);
                changed = true;
            }
        }, CancellationToken.None).ConfigureAwait(false);
        if (changed && saved is not null)
        {
            publisher.Publish(new RunUpdate(RunKind.Dataset, dataset.Id, nameof(DatasetStatus.Interrupted), saved.Progress.Copy(), message, saved.Name));
        }

        return changed;
    }

    private async Task<bool> InterruptAsync(ModelVersionRecord version, string reason)
    {
        var message = $"{reason} Nothing more will happen to this training; retry it.";
        var changed = false;
        var saved = await registry.UpdateVersionAsync(version.Id, v =>
        {
            if (v.Status.IsActive() && v.JobId == version.JobId)
            {
                (v.Status, v.Error, v.FinishedAt, v.Progress.Stage) = (VersionStatus.Interrupted, message, clock.GetUtcNow(), Interrupted);
                changed = true;
            }
        }, CancellationToken.None).ConfigureAwait(false);
        if (changed && saved is not null)
        {
            publisher.Publish(new RunUpdate(RunKind.Version, version.Id, nameof(VersionStatus.Interrupted), saved.Progress.Copy(), message, saved.Label));
        }

        return changed;
    }
}

/// <summary>When a run counts as stalled.</summary>
/// <param name="QueuedWithoutJob">How long a Queued record may have no job id before it counts as lost (default 2 min).</param>
public sealed record StalledRunRules(TimeSpan QueuedWithoutJob)
{
    public static StalledRunRules Default { get; } = new(TimeSpan.FromMinutes(2));
}

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
    RunLifecycle<DatasetRecord> datasetRuns,
    RunLifecycle<ModelVersionRecord> versionRuns,
    RunLifecycle<PromotionRecord> promotionRuns,
    IJobInspector jobs,
    TimeProvider clock,
    StalledRunRules rules)
{
    // Datasets and versions found stalled by the previous sweep, with the job they waited on. A retry sets the record
    // Queued a moment before it stores the new job id, so one sighting could be that moment; two sweeps agreeing is not.
    private Dictionary<Guid, string?> _suspects = [];

    /// <summary>Checks every active run once; returns how many were marked Interrupted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var recovered = 0;
        foreach (var promotion in await promotions.ListActivePromotionsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await StallReasonAsync(promotion, promotionRuns.StateOf(promotion) == RunState.Queued, countsOrphans: true, cancellationToken).ConfigureAwait(false) is { } reason
                && await InterruptAsync(promotion, reason).ConfigureAwait(false))
            {
                recovered++;
            }
        }

        var active = await registry.ListActiveRunsAsync(cancellationToken).ConfigureAwait(false);
        var suspects = new Dictionary<Guid, string?>();
        recovered += await SweepAsync(datasetRuns, active.Datasets, suspects, cancellationToken).ConfigureAwait(false);
        recovered += await SweepAsync(versionRuns, active.Versions, suspects, cancellationToken).ConfigureAwait(false);

        _suspects = suspects;
        return recovered;
    }

    // Datasets and versions are retried in place, so their stall counts once two sweeps agree on it (see _suspects).
    private async Task<int> SweepAsync<TRecord>(
        RunLifecycle<TRecord> runs, IReadOnlyList<TRecord> active, Dictionary<Guid, string?> suspects, CancellationToken cancellationToken)
        where TRecord : JobRecord
    {
        var recovered = 0;
        foreach (var record in active)
        {
            var reason = await StallReasonAsync(record, runs.StateOf(record) == RunState.Queued, countsOrphans: false, cancellationToken).ConfigureAwait(false);
            if (reason is not null && Confirmed(suspects, record)
                && await runs.InterruptStalledAsync(record, $"{reason} Nothing more will happen to this {runs.Words.Work}; retry it.").ConfigureAwait(false))
            {
                recovered++;
            }
        }

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

    private Task<bool> InterruptAsync(PromotionRecord promotion, string reason)
    {
        var message = $"{reason} Nothing more will happen to this {promotion.Verb}; the production pointer is where its last completed step left it. Retry it.";
        return promotionRuns.InterruptStalledAsync(promotion, message, new AuditEvent
        {
            At = clock.GetUtcNow(), Actor = "system", Action = $"{promotion.Verb}.interrupted", Subject = $"v{promotion.VersionNumber}", Detail = $"{promotion.Where}: {message}",
        });
    }
}

/// <summary>When a run counts as stalled.</summary>
/// <param name="QueuedWithoutJob">How long a Queued record may have no job id before it counts as lost (default 2 min).</param>
public sealed record StalledRunRules(TimeSpan QueuedWithoutJob)
{
    public static StalledRunRules Default { get; } = new(TimeSpan.FromMinutes(2));
}

using LynqDashboard.Core.Registry;

namespace LynqDashboard.Core.Runs;

/// <summary>
/// The one life of a run, whatever record it fills: queued with its job, started, then succeeded, failed with a
/// reason, cancelled by a person, or interrupted (a shutdown, a vanished job); a failed, cancelled or interrupted run
/// can be queued again. Every end is saved with its time and stage, then published to open pages. Starts and ends
/// take no cancellation token: they must be written even while the process stops.
/// </summary>
/// <typeparam name="TRecord">The record (dataset, version, promotion).</typeparam>
public sealed class RunLifecycle<TRecord>(
    RunRecords<TRecord> records,
    IRunUpdatePublisher publisher,
    RunCancellations cancellations,
    JobDurability durability,
    TimeProvider clock)
    where TRecord : JobRecord
{
    // The progress stage of a run a shutdown handed back to durable job storage.
    private const string WaitingForWorker = "waiting for a worker";

    public RunWords Words => records.Words;

    public RunState StateOf(TRecord record) => records.StateOf(record);

    /// <summary>The record while its run is active; null when it is gone or finished (a job that runs twice does nothing).</summary>
    public async Task<TRecord?> FindActiveAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var record = await records.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return record is not null && records.StateOf(record).IsActive() ? record : null;
    }

    /// <summary>Stores a new run Queued, then queues its job (after <paramref name="afterJobId"/> when given).</summary>
    public async Task<TRecord> QueueAsync(TRecord record, string? afterJobId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        records.Enter(record, RunState.Queued);
        record.Progress = records.QueuedProgress(record);
        var added = await records.AddAsync(record, cancellationToken).ConfigureAwait(false);
        return await EnqueueAsync(added, afterJobId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queued → Running, with its start time; <paramref name="reset"/> clears what a kind keeps of an earlier attempt.</summary>
    public Task<TRecord?> StartAsync(Guid id, Action<TRecord>? reset = null) => records.UpdateAsync(id, r =>
    {
        records.Enter(r, RunState.Running);
        (r.StartedAt, r.FinishedAt, r.Error) = (clock.GetUtcNow(), null, null);
        reset?.Invoke(r);
    }, CancellationToken.None);

    /// <summary>Takes the job's progress reports; a stored Cancel calls <paramref name="cancel"/>.</summary>
    public ProgressRelay Relay(Guid id, Action cancel)
    {
        var running = records.StatusNameOf(RunState.Running);
        return new ProgressRelay(
            progress => new RunUpdate(records.Kind, id, RunState.Running, running, progress),
            publisher,
            async progress => (await records.UpdateAsync(id, r => r.Progress = progress, CancellationToken.None).ConfigureAwait(false))?.CancelRequested == true,
            cancel,
            clock);
    }

    /// <summary>
    /// Runs <paramref name="work"/> as the job of <paramref name="record"/>, which the caller found active. It is Running
    /// while the work reports progress, then Succeeded with the results the work returns, Failed with the exception's
    /// message (rethrown, so the job fails too), or Cancelled when a person cancelled it. When
    /// <paramref name="stopping"/> fires (a shutdown) it is Interrupted, or back to Queued for the next worker when jobs
    /// survive a restart (the cancellation is rethrown so the job store keeps the job).
    /// </summary>
    public async Task RunAsync(TRecord record, Func<ProgressRelay, CancellationToken, Task<Action<TRecord>>> work, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(work);
        var id = record.Id;
        using var run = cancellations.Register(id, stopping);
        await StartAsync(id).ConfigureAwait(false);
        var relay = Relay(id, run.Cancel);
        try
        {
            var results = await work(relay, run.Token).ConfigureAwait(false);
            await relay.FlushAsync().ConfigureAwait(false);
            await SucceedAsync(id, results).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
        {
            await relay.FlushAsync().ConfigureAwait(false);
            if (!stopping.IsCancellationRequested)
            {
                await EndAsync(id, RunState.Cancelled, error: null, cancellationToken: CancellationToken.None).ConfigureAwait(false);
                return;
            }

            if (durability.JobsSurviveRestart)
            {
                // The job goes back to its queue: leave the record waiting for the worker that picks it up.
                await records.UpdateAsync(id, r =>
                {
                    records.Enter(r, RunState.Queued);
                    r.Progress.Stage = WaitingForWorker;
                }, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            await InterruptAsync(id, $"The server stopped while {records.Words.Doing}.").ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Whatever went wrong, the record must not stay "running" with no words: say it failed and why, then let the job fail too.
            await relay.FlushAsync().ConfigureAwait(false);
            await FailAsync(id, e.Message).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Saves a change to a running record (a promotion's checks) and tells open pages.</summary>
    public async Task<TRecord?> SaveAsync(Guid id, Action<TRecord> change)
    {
        var saved = await records.UpdateAsync(id, change, CancellationToken.None).ConfigureAwait(false);
        if (saved is not null)
        {
            publisher.Publish(records.UpdateOf(saved));
        }

        return saved;
    }

    /// <summary>Ends the run Succeeded with its <paramref name="results"/>; a promotion's success is audited (<paramref name="audit"/>).</summary>
    public Task<TRecord?> SucceedAsync(Guid id, Action<TRecord>? results = null, AuditEvent? audit = null) =>
        EndAsync(id, RunState.Succeeded, error: null, results, audit: audit);

    /// <summary>Ends the run Failed with <paramref name="reason"/> for people; <paramref name="also"/> records more (an error code).</summary>
    public Task<TRecord?> FailAsync(Guid id, string reason, Action<TRecord>? also = null, AuditEvent? audit = null) =>
        EndAsync(id, RunState.Failed, reason, also, audit: audit);

    /// <summary>Ends the run Interrupted: the process stops under it and nothing more will happen to it.</summary>
    public Task<TRecord?> InterruptAsync(Guid id, string reason) => EndAsync(id, RunState.Interrupted, reason);

    /// <summary>
    /// Ends a run Interrupted because its job will never finish it, but only while it is still active and waits on the job
    /// <paramref name="seen"/> named: a retry in between, or another process's sweep, wins. True when this ended it.
    /// </summary>
    public async Task<bool> InterruptStalledAsync(TRecord seen, string reason, AuditEvent? audit = null)
    {
        ArgumentNullException.ThrowIfNull(seen);
        return await EndAsync(seen.Id, RunState.Interrupted, reason, onlyIf: r => records.StateOf(r).IsActive() && r.JobId == seen.JobId, audit: audit)
            .ConfigureAwait(false) is not null;
    }

    /// <summary>
    /// Stops a queued or running run: at once when its job runs in this process, at its next progress save elsewhere,
    /// and a queued one is Cancelled here and its job deleted, so it never starts. Finished runs are left alone.
    /// </summary>
    public async Task CancelAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var record = await records.UpdateAsync(id, r => r.CancelRequested = records.StateOf(r).IsActive(), cancellationToken).ConfigureAwait(false);
        if (record is null || !records.StateOf(record).IsActive())
        {
            return;
        }

        if (!cancellations.Cancel(id) && records.StateOf(record) == RunState.Queued)
        {
            if (record.JobId is not null)
            {
                records.DeleteJob(record.JobId);
            }

            await EndAsync(id, RunState.Cancelled, error: null, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Queues a failed, cancelled or interrupted run again, as the same record with a fresh job.</summary>
    public async Task<TRecord> RetryAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var record = await records.GetAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw LynqException.NotFound($"That {records.Words.Noun} no longer exists.", records.Words.Noun);
        if (!records.StateOf(record).IsRetryable())
        {
            throw LynqException.Conflict($"{records.Title(record)} is {records.StatusNameOf(record).ToLowerInvariant()}; only failed, cancelled or interrupted {records.Words.Works} can be retried.");
        }

        var queued = await records.UpdateAsync(id, r =>
        {
            records.Enter(r, RunState.Queued);
            (r.Error, r.CancelRequested, r.StartedAt, r.FinishedAt) = (null, false, null, null);
            r.Progress = records.QueuedProgress(r);
        }, cancellationToken).ConfigureAwait(false) ?? record;
        return await EnqueueAsync(queued, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TRecord> EnqueueAsync(TRecord record, string? afterJobId, CancellationToken cancellationToken)
    {
        var jobId = records.Enqueue(record.Id, afterJobId);
        return await records.UpdateAsync(record.Id, r => r.JobId = jobId, cancellationToken).ConfigureAwait(false) ?? record;
    }

    // Ends from a job are saved with no token (they must be written while the process stops); a person's cancel passes theirs.
    private async Task<TRecord?> EndAsync(
        Guid id, RunState state, string? error, Action<TRecord>? also = null, Func<TRecord, bool>? onlyIf = null, AuditEvent? audit = null, CancellationToken cancellationToken = default)
    {
        var saved = await records.EndAsync(id, state, r =>
        {
            if (onlyIf?.Invoke(r) == false)
            {
                return false;
            }

            also?.Invoke(r);
            records.Enter(r, state);
            (r.Error, r.FinishedAt) = (error, clock.GetUtcNow());
            r.Progress.Stage = records.StageOf(state);
            if (state == RunState.Succeeded)
            {
                r.Progress.Fraction = 1;
            }

            return true;
        }, audit, cancellationToken).ConfigureAwait(false);
        if (saved is not null)
        {
            publisher.Publish(records.UpdateOf(saved));
        }

        return saved;
    }
}

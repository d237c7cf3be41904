using LynqDashboard.Core.Registry;

namespace LynqDashboard.Core.Runs;

/// <summary>
/// What <see cref="RunLifecycle{TRecord}"/> needs of one kind of run record: where it is stored, how its own status
/// reads as a <see cref="RunState"/>, how its job is queued, and how people call it.
/// </summary>
/// <typeparam name="TRecord">The record a job of this kind fills.</typeparam>
public abstract class RunRecords<TRecord>(RunKind kind, RunWords words, IJobScheduler scheduler)
    where TRecord : JobRecord
{
    public RunKind Kind => kind;

    public RunWords Words => words;

    protected IJobScheduler Scheduler => scheduler;

    public abstract RunState StateOf(TRecord record);

    /// <summary>Sets the record's own status to the one <paramref name="state"/> enters.</summary>
    public abstract void Enter(TRecord record, RunState state);

    /// <summary>The status name a run of this kind shows in <paramref name="state"/> ("Generating" for a running dataset).</summary>
    public abstract string StatusNameOf(RunState state);

    /// <summary>The record's own status name.</summary>
    public abstract string StatusNameOf(TRecord record);

    /// <summary>The progress stage a run of this kind shows once it ends in <paramref name="state"/>.</summary>
    public abstract string StageOf(RunState state);

    /// <summary>The update that tells open pages where the record is.</summary>
    public abstract RunUpdate UpdateOf(TRecord record);

    /// <summary>How a sentence names the record ("v3", "Dataset 'loans'").</summary>
    public abstract string Title(TRecord record);

    /// <summary>The progress of a run that waits for its job.</summary>
    public abstract JobProgress QueuedProgress(TRecord record);

    public abstract Task<TRecord> AddAsync(TRecord record, CancellationToken cancellationToken);

    public abstract Task<TRecord?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="change"/> to the stored record and saves it; null when it does not exist.</summary>
    public abstract Task<TRecord?> UpdateAsync(Guid id, Action<TRecord> change, CancellationToken cancellationToken);

    /// <summary>
    /// Saves a run's end: <paramref name="end"/> sets the final fields and says whether it applied (a sweep only ends a
    /// run still waiting on the job it saw); when it applied, <paramref name="audit"/> is kept with it. Returns the
    /// saved record, or null when it does not exist or <paramref name="end"/> did not apply. This one is a plain
    /// update; kinds that keep an audit log override it.
    /// </summary>
    public virtual async Task<TRecord?> EndAsync(Guid id, RunState state, Func<TRecord, bool> end, AuditEvent? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(end);
        if (audit is not null)
        {
            throw new ArgumentException($"A {words.Noun} run keeps no audit lines.", nameof(audit));
        }

        var applied = false;
        var saved = await UpdateAsync(id, r => applied = end(r), cancellationToken).ConfigureAwait(false);
        return applied ? saved : null;
    }

    /// <summary>Queues the record's job, after <paramref name="afterJobId"/> when given; returns the job id.</summary>
    public abstract string Enqueue(Guid id, string? afterJobId);

    /// <summary>Removes a job that has not finished (a queued one never starts).</summary>
    public void DeleteJob(string jobId) => scheduler.Delete(jobId);
}

/// <summary>The part of <see cref="RunRecords{TRecord}"/> that follows from the record's status map.</summary>
/// <typeparam name="TRecord">The record.</typeparam>
/// <typeparam name="TStatus">Its own status enum.</typeparam>
public abstract class RunRecords<TRecord, TStatus>(RunKind kind, RunStatusMap<TStatus> map, RunWords words, IJobScheduler scheduler)
    : RunRecords<TRecord>(kind, words, scheduler)
    where TRecord : JobRecord
    where TStatus : struct, Enum
{
    public sealed override RunState StateOf(TRecord record) => map.StateOf(StatusOf(record));

    public sealed override void Enter(TRecord record, RunState state) => SetStatus(record, map.StatusFor(state));

    public sealed override string StatusNameOf(RunState state) => map.StatusFor(state).ToString();

    public sealed override string StatusNameOf(TRecord record) => StatusOf(record).ToString();

    public sealed override string StageOf(RunState state) => map.StageOf(state);

    protected abstract TStatus StatusOf(TRecord record);

    protected abstract void SetStatus(TRecord record, TStatus status);
}

/// <summary>How people name one kind of run in messages.</summary>
/// <param name="Noun">The record ("dataset"); also the field a not-found problem names.</param>
/// <param name="Doing">What its job does, as in "stopped while generating".</param>
/// <param name="Work">One run of its job ("generation").</param>
/// <param name="Works">Several, as in "only failed … generations can be retried".</param>
public sealed record RunWords(string Noun, string Doing, string Work, string Works);

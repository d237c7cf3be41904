using LynqDashboard.Core.Registry;

namespace LynqDashboard.Core.Runs;

/// <summary>How one kind of record's own status reads as a <see cref="RunState"/>, and which status each state enters.</summary>
/// <typeparam name="TStatus">The record's status enum.</typeparam>
public sealed class RunStatusMap<TStatus>
    where TStatus : struct, Enum
{
    private readonly Func<TStatus, RunState> _stateOf;

    internal RunStatusMap(Func<TStatus, RunState> stateOf)
    {
        _stateOf = stateOf;
        Active = Where(RunStates.IsActive);
    }

    /// <summary>Every status of an active run, for queries that must run in SQL.</summary>
    public IReadOnlyList<TStatus> Active { get; }

    public RunState StateOf(TStatus status) => _stateOf(status);

    /// <summary>
    /// The status a run takes on entering <paramref name="state"/>: the first one declared with that state (a training
    /// that succeeds is Ready; Production and Archived come later, with promotion).
    /// </summary>
    public TStatus StatusFor(RunState state) => Enum.GetValues<TStatus>().Where(s => StateOf(s) == state).Cast<TStatus?>().FirstOrDefault()
        ?? throw new InvalidOperationException($"A {typeof(TStatus).Name} run is never {state}.");

    /// <summary>The progress stage a run shows once it ends in <paramref name="state"/>: its status name in lower case ("ready").</summary>
    public string StageOf(RunState state) => StatusFor(state).ToString().ToLowerInvariant();

    /// <summary>Every status whose state passes <paramref name="which"/>, in declaration order.</summary>
    public IReadOnlyList<TStatus> Where(Func<RunState, bool> which) => [.. Enum.GetValues<TStatus>().Where(s => which(StateOf(s)))];
}

/// <summary>The one mapping from each record's status to its run state; everything that asks "is it active" reads it here.</summary>
public static class RunStatusMaps
{
    public static RunStatusMap<DatasetStatus> Datasets { get; } = new(status => status switch
    {
        DatasetStatus.Queued => RunState.Queued,
        DatasetStatus.Generating => RunState.Running,
        DatasetStatus.Ready => RunState.Succeeded,
        DatasetStatus.Failed => RunState.Failed,
        DatasetStatus.Cancelled => RunState.Cancelled,
        DatasetStatus.Interrupted => RunState.Interrupted,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    });

    public static RunStatusMap<VersionStatus> Versions { get; } = new(status => status switch
    {
        VersionStatus.Queued => RunState.Queued,
        VersionStatus.Running => RunState.Running,
        _ when status.IsUsable() => RunState.Succeeded,
        VersionStatus.Failed => RunState.Failed,
        VersionStatus.Cancelled => RunState.Cancelled,
        VersionStatus.Interrupted => RunState.Interrupted,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    });

    // A promotion is never cancelled half-way: it completes or leaves the pointer alone.
    public static RunStatusMap<PromotionStatus> Promotions { get; } = new(status => status switch
    {
        PromotionStatus.Queued => RunState.Queued,
        PromotionStatus.Running => RunState.Running,
        PromotionStatus.Succeeded => RunState.Succeeded,
        PromotionStatus.Failed => RunState.Failed,
        PromotionStatus.Interrupted => RunState.Interrupted,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    });

    public static RunState State(this DatasetStatus status) => Datasets.StateOf(status);

    public static RunState State(this VersionStatus status) => Versions.StateOf(status);

    public static RunState State(this PromotionStatus status) => Promotions.StateOf(status);

    public static bool IsActive(this DatasetStatus status) => status.State().IsActive();

    public static bool IsActive(this VersionStatus status) => status.State().IsActive();

    public static bool IsActive(this PromotionStatus status) => status.State().IsActive();

    /// <summary>A dataset a training can use: ready, or still being made (the training waits for it).</summary>
    public static bool CanBeTrainedOn(this DatasetStatus status) => status.State() == RunState.Succeeded || status.IsActive();
}

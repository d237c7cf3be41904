namespace LynqDashboard.Core.Runs;

/// <summary>
/// Where a run is in its life, whatever record it fills (a dataset, a version, a promotion): each record keeps a
/// status of its own for people ("Generating", "Production"), and <see cref="RunStatusMaps"/> reads it as one of these.
/// </summary>
public enum RunState
{
    /// <summary>Written, with a job queued (or about to be) that has not started.</summary>
    Queued,

    /// <summary>A job works on it now.</summary>
    Running,

    /// <summary>The job finished its work.</summary>
    Succeeded,

    /// <summary>The job stopped on an error; the record says why.</summary>
    Failed,

    /// <summary>A person cancelled it.</summary>
    Cancelled,

    /// <summary>The process stopped under it, or its job vanished; nothing more will happen to it.</summary>
    Interrupted,
}

/// <summary>The one definition of which run states are active, finished and retryable.</summary>
public static class RunStates
{
    /// <summary>A job will still change it: pages follow it live, the stalled-run sweep watches it, it cannot be deleted.</summary>
    public static bool IsActive(this RunState state) => state is RunState.Queued or RunState.Running;

    /// <summary>No job will change it again (until a person retries it).</summary>
    public static bool IsFinished(this RunState state) => !state.IsActive();

    /// <summary>It ended without its work done, so a person may queue it again.</summary>
    public static bool IsRetryable(this RunState state) => state is RunState.Failed or RunState.Cancelled or RunState.Interrupted;
}

namespace LynqDashboard.Core.Runs;

/// <summary>
/// Whether a queued or running job outlives this process. In-memory jobs (the embedded default) die with it, so a
/// run cut off by a shutdown is marked Interrupted for a person to retry; jobs in a database are picked up again by
/// a worker, so the run goes back to Queued and resumes there.
/// </summary>
/// <param name="JobsSurviveRestart">True when the job storage is durable (PostgreSQL).</param>
public sealed record JobDurability(bool JobsSurviveRestart)
{
    public static JobDurability InMemory { get; } = new(false);
}

namespace LynqDashboard.Core.Runs;

/// <summary>What the job store (Hangfire in the web app) knows of one job now, asked by the recovery of stalled runs.</summary>
public interface IJobInspector
{
    /// <param name="jobId">The id <see cref="IJobScheduler"/> returned.</param>
    /// <param name="cancellationToken">Stops the look-up.</param>
    /// <returns>The job's fate; a store that cannot be read throws rather than guess.</returns>
    Task<JobFate> InspectAsync(string jobId, CancellationToken cancellationToken = default);
}

/// <summary>Where a job is, as far as a record waiting on it is concerned.</summary>
public enum JobFate
{
    /// <summary>Enqueued, scheduled or waiting for another job: it will run.</summary>
    Waiting,

    /// <summary>Processing on a server that still answers.</summary>
    Running,

    /// <summary>Processing on a server that stopped answering (killed, its machine gone).</summary>
    Orphaned,

    /// <summary>Ended well in the job store.</summary>
    Succeeded,

    /// <summary>Ended with an exception (a lock that timed out, a bug) and will not be retried.</summary>
    Failed,

    /// <summary>Deleted, e.g. by a person in the jobs dashboard.</summary>
    Deleted,

    /// <summary>The store does not know the id (it was reset, or the job expired).</summary>
    Missing,
}

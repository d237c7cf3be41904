namespace LynqDashboard.Core.Runs;

/// <summary>Schedules the background jobs (Hangfire in the web app).</summary>
public interface IJobScheduler
{
    /// <summary>Queues generation of a dataset record; returns the job id.</summary>
    string EnqueueGeneration(Guid datasetId);

    /// <summary>Queues training of a version record, after <paramref name="afterJobId"/> succeeds when given; returns the job id.</summary>
    string EnqueueTraining(Guid versionId, string? afterJobId = null);

    /// <summary>Queues a promotion or rollback record; returns the job id.</summary>
    string EnqueuePromotion(Guid promotionId);

    /// <summary>Removes a job that has not finished (a queued one never starts).</summary>
    void Delete(string jobId);
}

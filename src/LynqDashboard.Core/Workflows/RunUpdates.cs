using LynqDashboard.Core.Registry;

namespace LynqDashboard.Core.Workflows;

public enum RunKind
{
    Dataset,
    Version,
    Promotion,
}

/// <summary>One change to a running job, pushed to whoever watches it.</summary>
/// <param name="Kind">Dataset generation or model training.</param>
/// <param name="Id">The record's id.</param>
/// <param name="Status">The record's status name.</param>
/// <param name="Progress">A copy of its progress.</param>
/// <param name="Error">Failure message, when it failed.</param>
/// <param name="Label">What people call the record ("v3", a dataset's name, "promotion of v3"); set on the final update.</param>
public sealed record RunUpdate(RunKind Kind, Guid Id, string Status, JobProgress Progress, string? Error = null, string? Label = null)
{
    public bool IsFinished => Status is not (nameof(VersionStatus.Queued) or nameof(VersionStatus.Running) or nameof(DatasetStatus.Generating));
}

/// <summary>Receives every progress report and status change as it happens (the web app fans them out to open pages).</summary>
public interface IRunUpdatePublisher
{
    void Publish(RunUpdate update);
}

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

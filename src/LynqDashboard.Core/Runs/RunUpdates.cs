using LynqDashboard.Core.Registry;

namespace LynqDashboard.Core.Runs;

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

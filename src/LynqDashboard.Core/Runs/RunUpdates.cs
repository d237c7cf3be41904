using LynqDashboard.Core.Registry;

namespace LynqDashboard.Core.Runs;

public enum RunKind
{
    Dataset,
    Version,
    Promotion,
}

/// <summary>One change to a running job, pushed to whoever watches it.</summary>
/// <param name="Kind">Dataset generation, model training or promotion.</param>
/// <param name="Id">The record's id.</param>
/// <param name="State">Where the run is; what decides whether it is over.</param>
/// <param name="Status">The record's own status name, for people ("Generating", "Ready").</param>
/// <param name="Progress">A copy of its progress.</param>
/// <param name="Error">Failure message, when it failed.</param>
/// <param name="Label">What people call the record ("v3", a dataset's name, "promotion of v3"); always set on the final update.</param>
public sealed record RunUpdate(RunKind Kind, Guid Id, RunState State, string Status, JobProgress Progress, string? Error = null, string? Label = null)
{
    public bool IsFinished => State.IsFinished();

    public static RunUpdate Of(DatasetRecord dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new(RunKind.Dataset, dataset.Id, dataset.Status.State(), dataset.Status.ToString(), dataset.Progress.Copy(), dataset.Error, dataset.Name);
    }

    public static RunUpdate Of(ModelVersionRecord version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new(RunKind.Version, version.Id, version.Status.State(), version.Status.ToString(), version.Progress.Copy(), version.Error, version.Label);
    }

    public static RunUpdate Of(PromotionRecord promotion)
    {
        ArgumentNullException.ThrowIfNull(promotion);
        return new(RunKind.Promotion, promotion.Id, promotion.Status.State(), promotion.Status.ToString(), promotion.Progress.Copy(), promotion.Error, promotion.Label);
    }
}

/// <summary>Receives every progress report and status change as it happens (the web app fans them out to open pages).</summary>
public interface IRunUpdatePublisher
{
    void Publish(RunUpdate update);
}

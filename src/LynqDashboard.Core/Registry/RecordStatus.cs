namespace LynqDashboard.Core.Registry;

/// <summary>Where a dataset is in its life.</summary>
public enum DatasetStatus
{
    Queued,
    Generating,
    Ready,
    Failed,
    Cancelled,

    /// <summary>The process died while generating; set at the next start-up.</summary>
    Interrupted,
}

/// <summary>Where a model version is in its life. Production and Archived come with promotion.</summary>
public enum VersionStatus
{
    Queued,
    Running,
    Ready,
    Failed,
    Cancelled,

    /// <summary>The process died while training; set at the next start-up.</summary>
    Interrupted,
    Production,
    Archived,
}

// Whether a run is active, finished or retryable is not a status question: ask its run state (RunStatusMaps in Runs).
public static class RecordStatusExtensions
{
    /// <summary>A version whose training succeeded: its artifacts exist and can score.</summary>
    public static bool IsUsable(this VersionStatus status) => status is VersionStatus.Ready or VersionStatus.Production or VersionStatus.Archived;
}

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

public static class RecordStatusExtensions
{
    public static bool IsActive(this DatasetStatus status) => status is DatasetStatus.Queued or DatasetStatus.Generating;

    public static bool IsActive(this VersionStatus status) => status is VersionStatus.Queued or VersionStatus.Running;

    /// <summary>A version whose artifacts exist and can score.</summary>
    public static bool IsUsable(this VersionStatus status) => status is VersionStatus.Ready or VersionStatus.Production or VersionStatus.Archived;
}

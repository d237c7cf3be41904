namespace LynqDashboard.Infrastructure.Registry;

/// <summary>A version's frozen monitoring bins as stored: the <see cref="Core.Monitoring.MonitoringBaseline"/> as JSON.</summary>
public sealed class MonitoringBaselineRow
{
    public int VersionNumber { get; set; }

    public DateTimeOffset ComputedAt { get; set; }

    public required string Json { get; set; }
}

/// <summary>A monitoring snapshot as stored: the columns lists and charts filter on, and the whole snapshot as JSON.</summary>
public sealed class MonitoringSnapshotRow
{
    public Guid Id { get; set; }

    /// <summary>The registry version; null for the fallback.</summary>
    public int? VersionNumber { get; set; }

    public DateTimeOffset At { get; set; }

    public long Decisions { get; set; }

    public double? ScorePsi { get; set; }

    public int AlertCount { get; set; }

    public required string Json { get; set; }
}

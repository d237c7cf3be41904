namespace LynqDashboard.Core.Registry;

/// <summary>
/// The progress of a running job, stored with its record so a reloaded page, a second tab or another process
/// sees the same state.
/// </summary>
public sealed class JobProgress
{
    /// <summary>Stage name for people ("generating", "training", "evaluating" ...).</summary>
    public string Stage { get; set; } = "queued";

    /// <summary>Overall fraction done, 0–1.</summary>
    public double Fraction { get; set; }

    /// <summary>Units done (rows generated or trees trained) in the current stage.</summary>
    public long Done { get; set; }

    /// <summary>Units in the current stage; 0 when the stage is not counted.</summary>
    public long Total { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public JobProgress Copy() => (JobProgress)MemberwiseClone();
}

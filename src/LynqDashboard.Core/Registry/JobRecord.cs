namespace LynqDashboard.Core.Registry;

/// <summary>What every record that a background job fills shares: its progress, outcome and timing.</summary>
public abstract class JobRecord
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public JobProgress Progress { get; set; } = new();

    /// <summary>Why it failed or stopped, in words for people; null when it did not.</summary>
    public string? Error { get; set; }

    /// <summary>The job that works on it (Hangfire's id).</summary>
    public string? JobId { get; set; }

    /// <summary>Set by Cancel; a job in any process stops at its next progress save.</summary>
    public bool CancelRequested { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}

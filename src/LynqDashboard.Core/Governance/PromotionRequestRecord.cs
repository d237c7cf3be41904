namespace LynqDashboard.Core.Governance;

/// <summary>
/// A request to put a version in production (maker), decided by a second person with the Approver role (checker).
/// Never deleted: with the audit log it is the record of who asked for and who approved each production version.
/// </summary>
public sealed class PromotionRequestRecord
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid VersionId { get; set; }

    public int VersionNumber { get; set; }

    /// <summary>The version in production when asked; approval is refused once production changed (the comparison is stale).</summary>
    public int? ProductionNumber { get; set; }

    /// <summary>Who asked (Trainer or above).</summary>
    public required string RequestedBy { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public string Comment { get; set; } = string.Empty;

    /// <summary>Who started the version's training; may not approve it when a second approver is required.</summary>
    public string? TrainedBy { get; set; }

    public PromotionRequestStatus Status { get; set; } = PromotionRequestStatus.Pending;

    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecisionComment { get; set; }

    /// <summary>Why a version the leakage check flagged should serve anyway; null when not flagged.</summary>
    public string? LeakageReason { get; set; }

    /// <summary>Why a version whose PD moves against a declared direction too often should serve anyway; null when it does not.</summary>
    public string? MonotonicityReason { get; set; }

    /// <summary>The gates and the champion–challenger comparison as computed when asked.</summary>
    public required PromotionReview Review { get; set; }

    /// <summary>The promotion queued when it was approved.</summary>
    public Guid? PromotionId { get; set; }

    /// <summary>Whether the four-eyes rule applied when it was decided (Lynq:Governance:RequireSecondApprover).</summary>
    public bool SecondApproverRequired { get; set; } = true;

    public string Label => $"request to promote v{VersionNumber}";
}

public enum PromotionRequestStatus
{
    Pending,
    Approved,
    Rejected,
    Withdrawn,
}

using LynqDashboard.Core.Storage;

namespace LynqDashboard.Core.Registry;

/// <summary>
/// One promotion of a version to a bucket, or one rollback of that bucket's production pointer: who asked, the
/// preflight results, the objects written with their SHA-256, and how it ended. Never deleted: with the audit
/// log it is the history of what served in production.
/// </summary>
public sealed class PromotionRecord : JobRecord
{
    public PromotionKind Kind { get; set; }

    public PromotionStatus Status { get; set; } = PromotionStatus.Queued;

    /// <summary>The version promoted, or the one a rollback returns to.</summary>
    public Guid VersionId { get; set; }

    public int VersionNumber { get; set; }

    /// <summary>The production version when this was asked for; null when there was none.</summary>
    public int? PreviousVersionNumber { get; set; }

    /// <summary>The bucket; empty when promotion to S3 is off and production is the registry's designation alone.</summary>
    public required string Bucket { get; set; }

    /// <summary>Key prefix P: objects are P.zip, P_config.json and P_manifest.json.</summary>
    public required string KeyPrefix { get; set; }

    /// <summary>The production pointer object readers follow.</summary>
    public required string PointerKey { get; set; }

    /// <summary>The manifest the pointer names once this succeeds.</summary>
    public string? ManifestKey { get; set; }

    /// <summary>The approved promotion request this carries out (Core/Governance); null for rollbacks.</summary>
    public Guid? RequestId { get; set; }

    /// <summary>Who asked (user name or e-mail); never a credential.</summary>
    public required string RequestedBy { get; set; }

    /// <summary>The written reason for promoting a version the leakage check flagged; null otherwise.</summary>
    public string? LeakageReason { get; set; }

    /// <summary>The preflight checks in order, each with pass/fail and a detail for people.</summary>
    public List<PreflightCheck> Checks { get; set; } = [];

    /// <summary>Objects written (or verified) with their SHA-256 and size.</summary>
    public List<ManifestObject> Objects { get; set; } = [];

    /// <summary>The storage error code (e.g. NoSuchBucket, AccessDenied, ChecksumMismatch, PreflightFailed) when it failed.</summary>
    public string? ErrorCode { get; set; }

    /// <summary>No bucket: production is the registry's designation, which MODEL_SOURCE=local serves.</summary>
    public bool IsRegistryOnly => string.IsNullOrEmpty(Bucket);

    /// <summary>Where it goes, for people and the audit log: "s3://bucket" or "the registry".</summary>
    public string Where => WhereOf(Bucket);

    /// <summary>"s3://bucket", or "the registry" for an empty bucket.</summary>
    public static string WhereOf(string bucket) => string.IsNullOrEmpty(bucket) ? "the registry" : $"s3://{bucket}";

    public string Label => Kind == PromotionKind.Rollback ? $"rollback to v{VersionNumber}" : $"promotion of v{VersionNumber}";

    /// <summary>What its audit actions and messages call it: "promotion" or "rollback".</summary>
    public string Verb => Kind == PromotionKind.Rollback ? "rollback" : "promotion";
}

public enum PromotionKind
{
    Promote,
    Rollback,
}

public enum PromotionStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,

    /// <summary>The process stopped while it ran; nothing after the last completed step happened. Retry it.</summary>
    Interrupted,
}

/// <summary>One preflight check as people read it.</summary>
/// <param name="Name">What was checked ("Bucket reachable").</param>
/// <param name="Passed">True when it passed.</param>
/// <param name="Detail">The evidence or the reason, in words.</param>
/// <param name="Code">The storage error code when the check failed on a storage call (e.g. NoSuchBucket); null otherwise.</param>
public sealed record PreflightCheck(string Name, bool Passed, string Detail, string? Code = null);

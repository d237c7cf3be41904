namespace LynqDashboard.Core.Registry;

/// <summary>Promotion and rollback records, and the one transaction that changes which version is in production.</summary>
public interface IPromotionRegistry
{
    /// <summary>
    /// Stores a new promotion. At most one promotion or rollback per bucket is Queued or Running: the store itself
    /// refuses a second (two requests at the same moment included) with <see cref="PromotionConflictException"/>.
    /// </summary>
    Task<PromotionRecord> AddPromotionAsync(PromotionRecord promotion, CancellationToken cancellationToken = default);

    Task<PromotionRecord?> GetPromotionAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Newest first; only this bucket or this version when given.</summary>
    Task<IReadOnlyList<PromotionRecord>> ListPromotionsAsync(string? bucket = null, Guid? versionId = null, int take = 100, CancellationToken cancellationToken = default);

    /// <summary>Every Queued or Running promotion and rollback, oldest first.</summary>
    Task<IReadOnlyList<PromotionRecord>> ListActivePromotionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Applies <paramref name="change"/> and saves; null when it does not exist.</summary>
    Task<PromotionRecord?> UpdatePromotionAsync(Guid id, Action<PromotionRecord> change, CancellationToken cancellationToken = default);

    /// <summary>
    /// In one transaction: the promotion's version becomes Production, any other Production version becomes
    /// Archived, <paramref name="finish"/> is applied to the promotion, and <paramref name="audit"/> is appended.
    /// Either all of it is stored or none.
    /// </summary>
    Task<PromotionRecord> CompletePromotionAsync(Guid promotionId, Action<PromotionRecord> finish, AuditEvent audit, CancellationToken cancellationToken = default);

    /// <summary>Marks every Queued/Running promotion Interrupted (a killed process left them); returns how many.</summary>
    Task<int> MarkPromotionsInterruptedAsync(string message, CancellationToken cancellationToken = default);
}

/// <summary>Another promotion or rollback to the same bucket is still Queued or Running.</summary>
public sealed class PromotionConflictException(string bucket, Exception? inner = null)
    : LynqException(ProblemKind.Conflict, $"Another promotion or rollback to {PromotionRecord.WhereOf(bucket)} is still queued or running; wait for it to finish.", field: null, inner)
{
    public string Bucket { get; } = bucket;
}

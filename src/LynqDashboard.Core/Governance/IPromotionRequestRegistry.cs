namespace LynqDashboard.Core.Governance;

/// <summary>Promotion requests and their decisions.</summary>
public interface IPromotionRequestRegistry
{
    /// <summary>Stores a new request; at most one Pending request per version (a second is refused with a conflict).</summary>
    Task<PromotionRequestRecord> AddRequestAsync(PromotionRequestRecord request, CancellationToken cancellationToken = default);

    Task<PromotionRequestRecord?> GetRequestAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Newest first; only this version or this status when given.</summary>
    Task<IReadOnlyList<PromotionRequestRecord>> ListRequestsAsync(Guid? versionId = null, PromotionRequestStatus? status = null, int take = 100, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies <paramref name="decide"/> only if the request is still Pending, and saves; false when someone decided
    /// or withdrew it first (two approvers at the same moment: one wins).
    /// </summary>
    Task<bool> DecidePendingAsync(Guid id, Action<PromotionRequestRecord> decide, CancellationToken cancellationToken = default);

    /// <summary>Applies <paramref name="change"/> whatever the status, and saves; null when it does not exist.</summary>
    Task<PromotionRequestRecord?> UpdateRequestAsync(Guid id, Action<PromotionRequestRecord> change, CancellationToken cancellationToken = default);
}

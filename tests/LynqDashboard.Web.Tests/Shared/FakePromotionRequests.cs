using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Governance;

namespace LynqDashboard.Web.Tests.Shared;

/// <summary>Promotion requests in memory for component tests (the EF store has its own tests on SQLite).</summary>
public sealed class FakePromotionRequests : IPromotionRequestRegistry
{
    public List<PromotionRequestRecord> Records { get; } = [];

    public Task<PromotionRequestRecord> AddRequestAsync(PromotionRequestRecord request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Records.Add(request);
        return Task.FromResult(request);
    }

    public Task<PromotionRequestRecord?> GetRequestAsync(Guid id, CancellationToken cancellationToken = default) => Task.FromResult(Records.FirstOrDefault(r => r.Id == id));

    public Task<IReadOnlyList<PromotionRequestRecord>> ListRequestsAsync(Guid? versionId = null, PromotionRequestStatus? status = null, int take = 100, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<PromotionRequestRecord>>([.. Records.Where(r => (versionId is null || r.VersionId == versionId) && (status is null || r.Status == status)).OrderByDescending(r => r.RequestedAt).Take(take)]);

    public Task<bool> DecidePendingAsync(Guid id, Action<PromotionRequestRecord> decide, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decide);
        var request = Records.FirstOrDefault(r => r.Id == id && r.Status == PromotionRequestStatus.Pending);
        if (request is not null)
        {
            decide(request);
        }

        return Task.FromResult(request is not null);
    }

    public Task<PromotionRequestRecord?> UpdateRequestAsync(Guid id, Action<PromotionRequestRecord> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var request = Records.FirstOrDefault(r => r.Id == id);
        if (request is not null)
        {
            change(request);
        }

        return Task.FromResult(request);
    }
}

/// <summary>Counts report rewrites instead of rendering PDFs (the pack has its own tests).</summary>
public sealed class FakeReports : IModelReports
{
    public List<Guid> Written { get; } = [];

    public Task WriteAsync(Guid versionId, CancellationToken cancellationToken = default)
    {
        Written.Add(versionId);
        return Task.CompletedTask;
    }
}

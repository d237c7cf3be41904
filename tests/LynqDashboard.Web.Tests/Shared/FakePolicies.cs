using LynqDashboard.Core;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Web.Tests.Shared;

/// <summary>Policy versions in a list, for component tests (the real registry is tested on SQLite in Infrastructure.Tests).</summary>
/// <param name="audit">Where a save writes its policy.saved line.</param>
public sealed class FakePolicies(IAuditLog audit) : IPolicyRegistry
{
    public List<PolicyRecord> Records { get; } = [];

    public Task<IReadOnlyList<PolicyRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<PolicyRecord>>([.. Records.OrderByDescending(p => p.Version)]);

    public Task<PolicyRecord?> GetActiveAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Records.OrderByDescending(p => p.Version).FirstOrDefault());

    public async Task<PolicyRecord> SaveAsync(RiskPolicy policy, string by, string note, CancellationToken cancellationToken = default)
    {
        if (policy.Validate() is { Count: > 0 } problems)
        {
            throw LynqException.Invalid([.. problems.Select(p => new FieldProblem(p.Key, p.Message))]);
        }

        var record = PolicyRecord.For(policy, Records.Count == 0 ? 1 : Records.Max(p => p.Version) + 1, by, note, DateTimeOffset.UtcNow);
        Records.Add(record);
        await audit.AppendAsync(new AuditEvent { At = record.CreatedAt, Actor = by, Action = "policy.saved", Subject = $"policy v{record.Version}" }, cancellationToken);
        return record;
    }

    public Task<PolicyRecord> SeedAsync(RiskPolicy original, RiskPolicy configured, CancellationToken cancellationToken = default)
    {
        if (Records.Count == 0)
        {
            Records.Add(PolicyRecord.For(original, 1, "system", "original", DateTimeOffset.UtcNow));
            Records.Add(PolicyRecord.For(configured, 2, "system", "configured", DateTimeOffset.UtcNow));
        }

        return Task.FromResult(Records.OrderByDescending(p => p.Version).First());
    }
}

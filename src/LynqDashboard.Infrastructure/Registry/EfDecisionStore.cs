using LynqDashboard.Core.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace LynqDashboard.Infrastructure.Registry;

/// <summary>The decision ledger and outcomes in the registry database.</summary>
public sealed class EfDecisionStore(IDbContextFactory<RegistryDbContext> contexts, TimeProvider clock) : IDecisionStore
{
    private readonly IDbContextFactory<RegistryDbContext> _contexts = contexts;
    private readonly TimeProvider _clock = clock;

    public Task AppendAsync(IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<DecisionPage> QueryAsync(DecisionQuery query, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public IAsyncEnumerable<LedgerEntry> StreamAsync(DecisionQuery query, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public IAsyncEnumerable<MonitoredDecision> ReadForMonitoringAsync(int? modelNumber, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<IReadOnlyList<OutcomeResult>> RecordOutcomesAsync(IReadOnlyList<OutcomeSubmission> outcomes, string recordedBy, CancellationToken cancellationToken = default) => throw new NotImplementedException();
}

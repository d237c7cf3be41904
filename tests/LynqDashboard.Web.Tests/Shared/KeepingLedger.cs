using System.Collections.Concurrent;
using LynqDashboard.Core.Monitoring;

namespace LynqDashboard.Web.Tests.Shared;

/// <summary>A decision ledger that keeps every decision it is given (the real one writes to the registry).</summary>
public sealed class KeepingLedger : IDecisionLedger
{
    public ConcurrentQueue<DecisionRecord> Recorded { get; } = new();

    public bool Enabled => true;

    public long Dropped => 0;

    public int Pending => 0;

    public bool Record(DecisionRecord decision)
    {
        Recorded.Enqueue(decision);
        return true;
    }
}

/// <summary>An outcome store that records every outcome it is given and keeps nothing else.</summary>
public sealed class KeepingOutcomes : IDecisionStore
{
    public ConcurrentQueue<OutcomeSubmission> Submitted { get; } = new();

    public Task<IReadOnlyList<OutcomeResult>> RecordOutcomesAsync(IReadOnlyList<OutcomeSubmission> outcomes, string recordedBy, CancellationToken cancellationToken = default)
    {
        foreach (var outcome in outcomes)
        {
            Submitted.Enqueue(outcome);
        }

        return Task.FromResult<IReadOnlyList<OutcomeResult>>([.. outcomes.Select((o, i) => new OutcomeResult(i, o.RequestId, OutcomeVerdict.Recorded, "recorded"))]);
    }

    public Task AppendAsync(IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<DecisionPage> QueryAsync(DecisionQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<LedgerEntry> StreamAsync(DecisionQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<MonitoredDecision> ReadForMonitoringAsync(int? modelNumber, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}

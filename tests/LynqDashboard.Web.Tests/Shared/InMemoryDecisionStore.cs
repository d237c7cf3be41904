using System.Runtime.CompilerServices;
using LynqDashboard.Core.Monitoring;

namespace LynqDashboard.Web.Tests.Shared;

/// <summary>
/// Decisions and outcomes in a list, for monitoring's tests until the ledger's EfDecisionStore is merged: only what a
/// snapshot reads (append, outcomes, the monitoring read) is implemented.
/// </summary>
public sealed class InMemoryDecisionStore : IDecisionStore
{
    private readonly Lock _gate = new();
    private readonly List<DecisionRecord> _decisions = [];
    private readonly Dictionary<string, OutcomeRecord> _outcomes = new(StringComparer.Ordinal);

    /// <summary>Forgets every decision and outcome (a test's second phase).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _decisions.Clear();
            _outcomes.Clear();
        }
    }

    public Task AppendAsync(IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var decision in decisions)
            {
                decision.Id = _decisions.Count + 1;
                _decisions.Add(decision);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<OutcomeResult>> RecordOutcomesAsync(IReadOnlyList<OutcomeSubmission> outcomes, string recordedBy, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var o in outcomes)
            {
                _outcomes[o.RequestId] = new OutcomeRecord { RequestId = o.RequestId, Defaulted = o.Defaulted, ObservedAt = o.ObservedAt, RecordedAt = o.ObservedAt, RecordedBy = recordedBy };
            }
        }

        return Task.FromResult<IReadOnlyList<OutcomeResult>>([.. outcomes.Select((o, i) => new OutcomeResult(i, o.RequestId, OutcomeVerdict.Recorded, "recorded"))]);
    }

    public async IAsyncEnumerable<MonitoredDecision> ReadForMonitoringAsync(int? modelNumber, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<MonitoredDecision> rows;
        lock (_gate)
        {
            rows = [.. _decisions.Where(d => d.ModelNumber == modelNumber && (modelNumber is not null || d.IsFallback) && d.At >= from && d.At < to)
                .OrderBy(d => d.At).ThenBy(d => d.Id)
                .Select(d => new MonitoredDecision(d.At, d.FeatureValues(), d.DefaultProbability, d.Action, _outcomes.TryGetValue(d.RequestId, out var o) ? o.Defaulted : null))];
        }

        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return row;
        }
    }

    public Task<DecisionPage> QueryAsync(DecisionQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException("Not needed by monitoring's tests.");

    public IAsyncEnumerable<LedgerEntry> StreamAsync(DecisionQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException("Not needed by monitoring's tests.");

    public Task<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default) => throw new NotSupportedException("Not needed by monitoring's tests.");
}

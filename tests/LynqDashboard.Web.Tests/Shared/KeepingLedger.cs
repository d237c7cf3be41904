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

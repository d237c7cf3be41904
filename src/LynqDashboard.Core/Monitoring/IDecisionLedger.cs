namespace LynqDashboard.Core.Monitoring;

/// <summary>
/// Takes decisions off the request path: <see cref="Record"/> never waits and never throws; a full buffer drops the
/// decision and counts it, so a loss is always visible (<see cref="Dropped"/>).
/// </summary>
public interface IDecisionLedger
{
    /// <summary>False when the ledger is switched off (Lynq:Monitoring:Ledger:Enabled): nothing is recorded or counted.</summary>
    bool Enabled { get; }

    /// <summary>Queues one decision; false when it was dropped (buffer full or the ledger off).</summary>
    bool Record(DecisionRecord decision);

    /// <summary>Decisions dropped because the buffer was full, since the process started.</summary>
    long Dropped { get; }

    /// <summary>Decisions queued and not yet written.</summary>
    int Pending { get; }
}

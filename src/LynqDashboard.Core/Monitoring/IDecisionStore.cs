namespace LynqDashboard.Core.Monitoring;

/// <summary>Where the ledger's decisions and their outcomes are kept (the registry database).</summary>
public interface IDecisionStore
{
    /// <summary>Adds a batch of decisions in one transaction.</summary>
    Task AppendAsync(IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken = default);

    /// <summary>A page of matching decisions, newest first, with the total that match.</summary>
    Task<DecisionPage> QueryAsync(DecisionQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every matching decision, newest first, read as it is enumerated (for exports; Take and Skip are ignored).</summary>
    IAsyncEnumerable<LedgerEntry> StreamAsync(DecisionQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// What a monitoring snapshot reads, in time order: the decisions of one version (null: the fallback's) in [from, to),
    /// each with its outcome when one was reported.
    /// </summary>
    IAsyncEnumerable<MonitoredDecision> ReadForMonitoringAsync(int? modelNumber, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>
    /// What retraining on the ledger and the champion–challenger comparison read, in decision order: every decision in
    /// [from, to) whatever its version, with its shadow answer, its A/B arm and its outcome when one was reported.
    /// </summary>
    IAsyncEnumerable<JoinedDecision> ReadJoinedAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Removes decisions (and their outcomes) decided before <paramref name="before"/>; returns how many decisions went.</summary>
    Task<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>Stores outcomes: idempotent per request id; an unknown id or a different second outcome is reported, not stored.</summary>
    Task<IReadOnlyList<OutcomeResult>> RecordOutcomesAsync(IReadOnlyList<OutcomeSubmission> outcomes, string recordedBy, CancellationToken cancellationToken = default);
}

/// <summary>The few columns of a decision monitoring needs, with its outcome (null when none was reported).</summary>
public readonly record struct MonitoredDecision(DateTimeOffset At, double[] Features, double DefaultProbability, string Action, bool? Defaulted);

/// <summary>A decision with what the challengers issue adds beside it and its outcome (null fields: none).</summary>
/// <param name="Id">The ledger's row id (increasing): lineage names decisions by it and by <paramref name="RequestId"/>.</param>
/// <param name="ModelNumber">The version that answered; null for the fallback.</param>
/// <param name="Features">The 12 values in LoanFeatures order.</param>
/// <param name="ShadowNumber">The shadow version's registry number, parsed from its label; null without a shadow.</param>
/// <param name="ObservedAt">When the outcome was observed; null without one.</param>
public readonly record struct JoinedDecision(
    long Id, string RequestId, DateTimeOffset At, int? ModelNumber, double[] Features, double DefaultProbability, string Action,
    int? ShadowNumber, double? ShadowProbability, string? ShadowAction, string? ExperimentArm, bool? Defaulted, DateTimeOffset? ObservedAt);

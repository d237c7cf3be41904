using System.Diagnostics;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Monitoring.Challengers;

/// <summary>Champion against challengers over one window: every shadow on the same applications, and the A/B split's arms.</summary>
/// <param name="From">Start of the window (inclusive).</param>
/// <param name="To">End (exclusive).</param>
/// <param name="Decisions">Decisions read in the window, whatever their version.</param>
/// <param name="PolicyVersion">The risk policy whose band edges are the flip cutoffs.</param>
/// <param name="Cutoffs">Those edges (PDs).</param>
/// <param name="Shadows">One comparison per (answering version, shadow version) pair, the most compared first.</param>
/// <param name="Split">The decisions answered in an A/B split (empty arms when none was).</param>
/// <param name="ComputeSeconds">How long reading and computing took.</param>
public sealed record ChallengerReport(
    DateTimeOffset From, DateTimeOffset To, long Decisions, int PolicyVersion, IReadOnlyList<double> Cutoffs, IReadOnlyList<ShadowComparisonResult> Shadows,
    ArmReport Split, double ComputeSeconds);

/// <summary>
/// Reads the ledger's joined decisions once (<see cref="IDecisionStore.ReadJoinedAsync"/>) and feeds both comparisons.
/// A row whose shadow is the version that answered it (a challenger arm that is also the shadow) compares a model with
/// itself and is left out of the shadow comparison.
/// </summary>
public sealed class ChallengerReportBuilder
{
    private readonly RiskPolicy _policy;
    private readonly double[] _cutoffs;
    private readonly Dictionary<(int? Champion, int Shadow), ShadowComparison> _shadows = [];
    private readonly ArmComparison _arms = new();
    private long _decisions;

    /// <param name="policy">The active risk policy: its band edges are where a decision can flip.</param>
    public ChallengerReportBuilder(RiskPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _cutoffs = [.. policy.Bands.Take(policy.Bands.Count - 1).Select(b => b.UpperPd)];
    }

    public void Add(in JoinedDecision decision)
    {
        _decisions++;
        _arms.Add(decision.ExperimentArm, decision.ModelNumber, decision.DefaultProbability, decision.Action, decision.Features, decision.Defaulted);
        if (decision is { ShadowNumber: { } shadow, ShadowProbability: { } shadowPd } && shadow != decision.ModelNumber)
        {
            var key = (decision.ModelNumber, shadow);
            if (!_shadows.TryGetValue(key, out var comparison))
            {
                _shadows[key] = comparison = new ShadowComparison(decision.ModelNumber, shadow, _cutoffs);
            }

            comparison.Add(decision.DefaultProbability, shadowPd, decision.Action, decision.ShadowAction, decision.Defaulted);
        }
    }

    public ChallengerReport Build(DateTimeOffset from, DateTimeOffset to, double computeSeconds) => new(
        from, to, _decisions, _policy.Version, _cutoffs,
        [.. _shadows.Values.OrderByDescending(s => s.Count).ThenByDescending(s => s.ShadowVersion).Select(s => s.Build()!)], _arms.Build(), computeSeconds);

    /// <summary>The report over [<paramref name="from"/>, <paramref name="to"/>): one read of the ledger.</summary>
    public static async Task<ChallengerReport> ReadAsync(IDecisionStore store, RiskPolicy policy, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var clock = Stopwatch.StartNew();
        var builder = new ChallengerReportBuilder(policy);
        await foreach (var decision in store.ReadJoinedAsync(from, to, cancellationToken))
        {
            builder.Add(decision);
        }

        return builder.Build(from, to, clock.Elapsed.TotalSeconds);
    }
}

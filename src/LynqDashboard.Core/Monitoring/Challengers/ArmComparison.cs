using LynqDashboard.Core.Challengers;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Monitoring.Challengers;

/// <summary>
/// The A/B split's arms, counted as rows arrive (constant memory): per arm and answering version the approvals, the bad
/// rate among approved loans with an outcome and the expected loss of the approved book, then each arm pooled over its
/// versions and the challenger arm's differences from the champion's.
/// </summary>
public sealed class ArmComparison
{
    /// <summary>The loss-given-default assumption, in the words the page and the JSON carry.</summary>
    public const string LgdAssumption =
        "Expected loss = Σ PD × loan amount × LGD over approved loans, with LGD = 1 − min(1, collateral value ÷ loan amount) (the collateral is assumed to be recovered in full); "
        + "pd_weighted_exposure is the same sum with LGD = 1 (EAD × PD).";

    private readonly SortedDictionary<(string Arm, int Version), ArmTally> _tallies = [];

    /// <summary>Counts one decision answered by <paramref name="arm"/>; rows without an arm are not part of the split and are skipped.</summary>
    /// <param name="arm">The experiment_arm ("champion" / "challenger"), or null.</param>
    /// <param name="version">The version that answered; null for the fallback.</param>
    /// <param name="pd">The answer's PD.</param>
    /// <param name="action">The answer's action.</param>
    /// <param name="features">The 12 values in LoanFeatures order.</param>
    /// <param name="defaulted">The outcome, when known.</param>
    public void Add(string? arm, int? version, double pd, string action, ReadOnlySpan<double> features, bool? defaulted)
    {
        if (arm is null)
        {
            return;
        }

        var key = (arm, version ?? FallbackVersion);
        if (!_tallies.TryGetValue(key, out var tally))
        {
            _tallies[key] = tally = new ArmTally();
        }

        tally.Add(pd, action, features, defaulted);
    }

    /// <summary>The number arms use for the fallback's decisions (the JSON says null).</summary>
    private const int FallbackVersion = int.MinValue;

    /// <summary>True when the action lends (with or without conditions).</summary>
    public static bool Approves(string action) =>
        action is nameof(RecommendedAction.APPROVE) or nameof(RecommendedAction.APPROVE_WITH_CONDITIONS);

    public ArmReport Build()
    {
        var rows = _tallies.Select(t => t.Value.Stats(t.Key.Arm, t.Key.Version == FallbackVersion ? null : t.Key.Version)).ToList();
        var pooled = _tallies.GroupBy(t => t.Key.Arm, StringComparer.Ordinal).Select(g =>
        {
            var sum = new ArmTally();
            foreach (var t in g)
            {
                sum.Merge(t.Value);
            }

            var versions = g.Select(t => t.Key.Version).Distinct().ToList();
            return sum.Stats(g.Key, versions is [var only] && only != FallbackVersion ? only : null);
        }).ToList();
        var champion = pooled.FirstOrDefault(p => p.Arm == ExperimentArms.Champion);
        var challenger = pooled.FirstOrDefault(p => p.Arm == ExperimentArms.Challenger);
        var approval = champion is null || challenger is null ? null : Proportions.Difference(challenger.Approved, challenger.Decisions, champion.Approved, champion.Decisions);
        var bad = champion is null || challenger is null ? null
            : Proportions.Difference(challenger.ApprovedDefaults, challenger.ApprovedWithOutcome, champion.ApprovedDefaults, champion.ApprovedWithOutcome);
        return new ArmReport(rows, pooled, approval, bad, LgdAssumption);
    }

    private sealed class ArmTally
    {
        private long _decisions, _approved, _withOutcome, _defaults;
        private double _amount, _expectedLoss, _exposure, _pdSum;

        public void Add(double pd, string action, ReadOnlySpan<double> features, bool? defaulted)
        {
            _decisions++;
            if (!Approves(action))
            {
                return;
            }

            _approved++;
            _pdSum += pd;
            var loan = features.Length > LoanFeatures.LoanAmount.Index ? features[LoanFeatures.LoanAmount.Index] : 0;
            var collateral = features.Length > LoanFeatures.CollateralValueUsd.Index ? features[LoanFeatures.CollateralValueUsd.Index] : 0;
            var lgd = loan > 0 ? 1 - Math.Min(1, collateral / loan) : 1;
            _amount += loan;
            _exposure += pd * loan;
            _expectedLoss += pd * loan * lgd;
            if (defaulted is { } d)
            {
                _withOutcome++;
                _defaults += d ? 1 : 0;
            }
        }

        public void Merge(ArmTally other)
        {
            (_decisions, _approved, _withOutcome, _defaults) = (_decisions + other._decisions, _approved + other._approved, _withOutcome + other._withOutcome, _defaults + other._defaults);
            (_amount, _expectedLoss, _exposure, _pdSum) = (_amount + other._amount, _expectedLoss + other._expectedLoss, _exposure + other._exposure, _pdSum + other._pdSum);
        }

        public ArmStats Stats(string arm, int? version) => new(
            arm, version, _decisions, _approved, Proportions.Wilson(_approved, _decisions)!, _withOutcome, _defaults, Proportions.Wilson(_defaults, _withOutcome),
            _approved == 0 ? null : _pdSum / _approved, _amount, _expectedLoss, _exposure);
    }
}

/// <summary>The A/B split in a window.</summary>
/// <param name="Arms">Per arm and answering version.</param>
/// <param name="Pooled">Per arm over its versions (the version when there was one).</param>
/// <param name="ApprovalRateDifference">Challenger arm's approval rate − champion arm's (Newcombe 95 % interval); null without both arms.</param>
/// <param name="BadRateDifference">Challenger arm's bad rate among approved − champion arm's; null until both have approved loans with outcomes.</param>
/// <param name="LgdAssumption">How expected loss is computed.</param>
public sealed record ArmReport(IReadOnlyList<ArmStats> Arms, IReadOnlyList<ArmStats> Pooled, Interval? ApprovalRateDifference, Interval? BadRateDifference, string LgdAssumption);

/// <summary>One arm's decisions.</summary>
/// <param name="Arm">"champion" or "challenger".</param>
/// <param name="Version">The version that answered; null for the fallback or (pooled) several versions.</param>
/// <param name="Decisions">Decisions answered.</param>
/// <param name="Approved">Of which approved (APPROVE or APPROVE_WITH_CONDITIONS).</param>
/// <param name="ApprovalRate">Approved ÷ decisions with its Wilson 95 % interval.</param>
/// <param name="ApprovedWithOutcome">Approved loans whose outcome is known.</param>
/// <param name="ApprovedDefaults">Of which defaulted.</param>
/// <param name="BadRate">ApprovedDefaults ÷ ApprovedWithOutcome with its Wilson interval; null before any outcome.</param>
/// <param name="MeanApprovedPd">Mean PD of the approved loans (what the model expects their bad rate to be).</param>
/// <param name="ApprovedAmount">Σ loan amount over approved loans (USD).</param>
/// <param name="ExpectedLoss">Σ PD × loan amount × LGD over approved loans (USD; see <see cref="ArmComparison.LgdAssumption"/>).</param>
/// <param name="PdWeightedExposure">Σ PD × loan amount over approved loans (USD; LGD 1).</param>
public sealed record ArmStats(
    string Arm, int? Version, long Decisions, long Approved, Interval ApprovalRate, long ApprovedWithOutcome, long ApprovedDefaults, Interval? BadRate,
    double? MeanApprovedPd, double ApprovedAmount, double ExpectedLoss, double PdWeightedExposure);

using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Governance;

/// <summary>One model's measures on a set of rows.</summary>
/// <param name="VersionNumber">The registry version.</param>
/// <param name="RocAuc">ROC-AUC on the rows.</param>
/// <param name="Ks">Kolmogorov–Smirnov statistic on the rows.</param>
/// <param name="CalibrationError">Mean |predicted − observed| over the PD deciles.</param>
public sealed record ModelMeasures(int VersionNumber, double RocAuc, double Ks, double CalibrationError);

/// <summary>How many rows one model's decision sends to another action than the other model's, at the active policy.</summary>
public sealed record ActionChange(RecommendedAction Production, RecommendedAction Candidate, int Count);

/// <summary>The candidate and the production version scored on the same rows.</summary>
/// <param name="Name">Which rows, for people ("v5's test split").</param>
/// <param name="Rows">How many rows both scored.</param>
/// <param name="Defaults">How many of them defaulted.</param>
/// <param name="Candidate">The candidate's measures.</param>
/// <param name="Production">The production version's measures.</param>
/// <param name="AucDifference">Candidate AUC − production AUC (paired, same rows).</param>
/// <param name="AucDifferenceLow">Lower end of the 95 % confidence interval of the difference (DeLong).</param>
/// <param name="AucDifferenceHigh">Upper end.</param>
/// <param name="AucDifferencePValue">Two-sided p-value of "no difference".</param>
/// <param name="ScorePsi">Population stability index of the candidate's PDs against production's (production's deciles).</param>
/// <param name="ActionChanges">Rows whose action differs, by (production action, candidate action); only non-zero pairs.</param>
public sealed record ComparisonSet(
    string Name,
    int Rows,
    int Defaults,
    ModelMeasures Candidate,
    ModelMeasures Production,
    double AucDifference,
    double AucDifferenceLow,
    double AucDifferenceHigh,
    double AucDifferencePValue,
    double ScorePsi,
    IReadOnlyList<ActionChange> ActionChanges)
{
    /// <summary>Rows whose action changes from production's to the candidate's.</summary>
    public int ChangedActions => ActionChanges.Sum(c => c.Count);
}

/// <summary>Champion (production) against challenger (the candidate) on the same rows, at one policy version.</summary>
public sealed record ChampionChallengerComparison(int CandidateNumber, int ProductionNumber, int PolicyVersion, IReadOnlyList<ComparisonSet> Sets);

/// <summary>One gate of a promotion review.</summary>
/// <param name="Name">What was checked ("Monotonicity").</param>
/// <param name="Passed">True when it passed.</param>
/// <param name="Detail">The evidence or the reason, in words.</param>
/// <param name="Overridable">A failure may be accepted with a written reason (leakage, monotonicity); otherwise it blocks the request.</param>
public sealed record ReviewCheck(string Name, bool Passed, string Detail, bool Overridable = false);

/// <summary>Everything a reviewer sees before approving a version for production.</summary>
/// <param name="VersionNumber">The candidate.</param>
/// <param name="ProductionNumber">The version in production when reviewed; null when none.</param>
/// <param name="Checks">Every gate in order: quality, leakage, monotonicity, then the champion–challenger gates.</param>
/// <param name="Comparison">Candidate against production; null when nothing is in production (or the candidate is it).</param>
/// <param name="Monotonicity">Per feature with a declared direction, how the candidate's PD moved over its training range.</param>
public sealed record PromotionReview(
    int VersionNumber,
    int? ProductionNumber,
    IReadOnlyList<ReviewCheck> Checks,
    ChampionChallengerComparison? Comparison,
    IReadOnlyList<FeatureMonotonicity> Monotonicity)
{
    /// <summary>When the numbers were computed (a review is a snapshot: production or the policy may change after it).</summary>
    public DateTimeOffset? ReviewedAt { get; init; }

    /// <summary>A gate failed that no written reason overrides.</summary>
    public bool Blocked => Checks.Any(c => !c.Passed && !c.Overridable);

    /// <summary>Names of the failed gates a written reason may override.</summary>
    public IReadOnlyList<string> NeedsReason => [.. Checks.Where(c => !c.Passed && c.Overridable).Select(c => c.Name)];
}

using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Reports;

/// <summary>
/// Everything the documentation pack of one version says, gathered once so the PDF and the HTML cannot disagree:
/// the registry's record, the version folder's files, the promotion requests and the audit trail.
/// </summary>
/// <param name="Version">The registry record (number, status, who trained it, when).</param>
/// <param name="Dataset">The training dataset's record; null when it was deleted since.</param>
/// <param name="Config">feature_config.json: lineage, training parameters, splits, model type.</param>
/// <param name="Metrics">metrics.json: the validation pack on the test split.</param>
/// <param name="Monotonicity">monotonicity.json, one entry per feature with a declared direction; null when the version has none (trained before it was written).</param>
/// <param name="Requests">Every promotion request of the version, newest first.</param>
/// <param name="Audit">Audit events whose subject is the version ("v3"), oldest first.</param>
/// <param name="GeneratedAt">When this content was gathered.</param>
public sealed record ModelReportContent(
    ModelVersionRecord Version,
    DatasetRecord? Dataset,
    FeatureConfig Config,
    ValidationPack Metrics,
    IReadOnlyList<FeatureMonotonicity>? Monotonicity,
    IReadOnlyList<PromotionRequestRecord> Requests,
    IReadOnlyList<AuditEvent> Audit,
    DateTimeOffset GeneratedAt)
{
    /// <summary>"v3": how the report, its file names and the audit log name the version.</summary>
    public string Label => Version.Label;

    /// <summary>The newest request's champion–challenger comparison; null when none was made.</summary>
    public ChampionChallengerComparison? Comparison => Requests.FirstOrDefault(r => r.Review.Comparison is not null)?.Review.Comparison;

    /// <summary>The review gates of the newest request; empty when the version was never put forward.</summary>
    public IReadOnlyList<ReviewCheck> Checks => Requests.Count > 0 ? Requests[0].Review.Checks : [];

    /// <summary>True when the training data came from the LYNQ generator rather than a file someone supplied.</summary>
    public bool IsSynthetic => Config.Dataset.Generator is not null;

    /// <summary>The label mode the data was generated with ("probabilistic", "lynq-original"); null for supplied files.</summary>
    public string? LabelMode => Config.Dataset.Generator?.LabelMode ?? (Dataset is null || !IsSynthetic ? null : Dataset.LabelMode);

    /// <summary>The training range of a directed feature (monotonicity.json's sweep: 1st to 99th percentile); null when not recorded.</summary>
    public (double From, double To)? TrainingRange(string feature) =>
        Monotonicity?.FirstOrDefault(m => m.Feature == feature) is { } m ? (m.From, m.To) : null;
}

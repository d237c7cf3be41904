namespace LynqDashboard.Core.Monitoring.Challengers;

/// <summary>Champion against one shadow version on the same applications (shadow − champion wherever a difference is given).</summary>
/// <param name="ChampionVersion">The version that answered these applications; null for the fallback.</param>
/// <param name="ShadowVersion">The shadow version that scored them beside it.</param>
/// <param name="Decisions">Applications both scored.</param>
/// <param name="MeanChampionPd">The champion's mean PD on them.</param>
/// <param name="MeanShadowPd">The shadow's.</param>
/// <param name="Pearson">Linear correlation of the two PDs; null below two rows or when either PD never varies.</param>
/// <param name="Spearman">Rank correlation (the Pearson of midranks): whether they order applicants alike.</param>
/// <param name="Psi">Stability index of the shadow's PDs in the champion's PD deciles: 0 when they spread alike.</param>
/// <param name="Bins">The champion's PD deciles with each model's mean PD in them (the binned scatter).</param>
/// <param name="Sample">Up to <see cref="ShadowComparison.SampleSize"/> (champion, shadow) pairs spread evenly over the window, for a scatter.</param>
/// <param name="Cutoffs">Decisions that flip at each policy cutoff, by direction.</param>
/// <param name="Actions">The action names in order from kindest to strictest, the rows and columns of <paramref name="Matrix"/>.</param>
/// <param name="Matrix">Counts of champion action × shadow action (cells with a count only).</param>
/// <param name="ActionFlips">Applications whose shadow action differs from the champion's.</param>
/// <param name="Outcomes">Both models on the loans with a known outcome; null before any outcome.</param>
public sealed record ShadowComparisonResult(
    int? ChampionVersion, int ShadowVersion, long Decisions, double MeanChampionPd, double MeanShadowPd, double? Pearson, double? Spearman, double Psi,
    IReadOnlyList<PdBin> Bins, IReadOnlyList<PdPair> Sample, IReadOnlyList<CutoffFlips> Cutoffs, IReadOnlyList<string> Actions, IReadOnlyList<ActionCell> Matrix,
    long ActionFlips, OutcomeComparison? Outcomes);

/// <summary>One decile of the champion's PD.</summary>
/// <param name="Bin">0-based, lowest PDs first.</param>
/// <param name="Count">Applications in it.</param>
/// <param name="ChampionMeanPd">The champion's mean PD in it.</param>
/// <param name="ShadowMeanPd">The shadow's mean PD on the same applications.</param>
/// <param name="ShadowShare">The share of the shadow's PDs that fall in this bin (the PSI's "actual"; the champion's is about 10 %).</param>
public sealed record PdBin(int Bin, long Count, double ChampionMeanPd, double ShadowMeanPd, double ShadowShare);

public sealed record PdPair(double Champion, double Shadow);

/// <summary>Flips at one cutoff (a PD where the policy's band, and so possibly the action, changes).</summary>
/// <param name="Cutoff">The PD: at or above it is the stricter side.</param>
/// <param name="ChampionAtOrAbove">Applications the champion put at or above the cutoff.</param>
/// <param name="ShadowAtOrAbove">The shadow's count.</param>
/// <param name="ShadowStricter">Champion below, shadow at or above: the shadow would have treated them more strictly.</param>
/// <param name="ShadowLooser">Champion at or above, shadow below.</param>
public sealed record CutoffFlips(double Cutoff, long ChampionAtOrAbove, long ShadowAtOrAbove, long ShadowStricter, long ShadowLooser);

public sealed record ActionCell(string ChampionAction, string ShadowAction, long Count);

/// <summary>Both models on the loans whose outcome is known.</summary>
/// <param name="Loans">Loans with an outcome.</param>
/// <param name="Defaults">How many of them defaulted.</param>
/// <param name="ObservedRate">Defaults ÷ loans.</param>
/// <param name="Champion">The champion's AUC and calibration on them.</param>
/// <param name="Shadow">The shadow's.</param>
/// <param name="AucDifference">Shadow AUC − champion AUC with DeLong's interval for two correlated ROC curves; null without both classes.</param>
/// <param name="AucPValue">Two-sided p-value of "the AUCs are equal"; null with <paramref name="AucDifference"/>.</param>
/// <param name="CalibrationDifference">|shadow's gap| − |champion's gap| (negative: the shadow is better calibrated), with a paired interval.</param>
/// <param name="BrierDifference">Shadow Brier score − champion's (negative: the shadow's PDs are closer to what happened), with a paired interval.</param>
/// <param name="Note">Why a number is missing, in words; null when none is.</param>
public sealed record OutcomeComparison(
    long Loans, long Defaults, double ObservedRate, ModelOnOutcomes Champion, ModelOnOutcomes Shadow, Interval? AucDifference, double? AucPValue,
    Interval? CalibrationDifference, Interval? BrierDifference, string? Note);

/// <summary>One model on the loans with an outcome.</summary>
/// <param name="Auc">ROC-AUC; null without both defaults and repayments.</param>
/// <param name="MeanPd">Mean predicted PD.</param>
/// <param name="CalibrationGap">Mean PD − observed default rate (positive: it over-predicts), with a 95 % interval; null below two loans.</param>
/// <param name="Brier">Mean squared error of the PD.</param>
public sealed record ModelOnOutcomes(double? Auc, double MeanPd, Interval? CalibrationGap, double Brier);

namespace LynqDashboard.Core.Evaluation;

/// <summary>One point of a ROC (X = false positive rate, Y = true positive rate) or PR (X = recall, Y = precision) curve.</summary>
public sealed record CurvePoint(double X, double Y, double Threshold);

/// <summary>One calibration bin: rows grouped by predicted PD.</summary>
public sealed record CalibrationBin(int Bin, double MeanPredicted, double ObservedRate, int Count);

/// <summary>A feature's permutation importance: mean ROC-AUC drop when its column is shuffled, and the spread over repeats.</summary>
public sealed record FeatureImportance(string Feature, double Importance, double StdDev);

/// <summary>A feature's AUC as a score on its own, direction-corrected; at or above the threshold it is a leakage suspect.</summary>
public sealed record FeatureAuc(string Feature, double Auc, string Direction, bool SuspectedLeakage);

using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Serialization;

namespace LynqDashboard.Core.Governance;

/// <summary>A version's monotonicity result and where it came from.</summary>
/// <param name="Features">Per directed feature, how the PD moved; empty when it could not be measured.</param>
/// <param name="Source">How it was obtained.</param>
public sealed record MonotonicityResult(IReadOnlyList<FeatureMonotonicity> Features, MonotonicitySource Source);

public enum MonotonicitySource
{
    /// <summary>monotonicity.json, written when the version was trained (ranges from its training split).</summary>
    Training,

    /// <summary>Computed at review for a version trained before the file existed: ranges from its stored test rows.</summary>
    StoredTestRows,

    /// <summary>Neither the file nor stored test features: not measured.</summary>
    NotMeasured,
}

/// <summary>Reads a version's monotonicity.json, or measures it for versions trained before it was written.</summary>
public static class VersionMonotonicity
{
    /// <summary>The file written at training; null when the version has none.</summary>
    public static IReadOnlyList<FeatureMonotonicity>? Read(string versionFolder)
    {
        var path = Path.Combine(versionFolder, ModelArtifacts.MonotonicityFile);
        return File.Exists(path) ? LynqJson.ReadFile<List<FeatureMonotonicity>>(path, "monotonicity result") : null;
    }

    /// <summary>
    /// The file when there is one; otherwise the check run once on the stored test rows (their 1st–99th percentiles stand in
    /// for the training range: the split is stratified and random, so they differ by sampling noise only).
    /// </summary>
    /// <param name="versionFolder">The version folder.</param>
    /// <param name="rows">Its stored test rows.</param>
    /// <param name="model">Loads the version's model, only when the check must run.</param>
    public static MonotonicityResult ReadOrMeasure(string versionFolder, TestPredictions rows, Func<ScoringModel> model)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(model);
        if (Read(versionFolder) is { } stored)
        {
            return new MonotonicityResult(stored, MonotonicitySource.Training);
        }

        if (rows.Features is null || rows.Count == 0)
        {
            return new MonotonicityResult([], MonotonicitySource.NotMeasured);
        }

        var data = new LoanDataset(rows.Features, rows.Labels, null);
        var scoring = model();
        return new MonotonicityResult(
            MonotonicityCheck.Run(scoring.PredictPd, data, MonotonicityCheck.SampleOf(data)),
            MonotonicitySource.StoredTestRows);
    }
}

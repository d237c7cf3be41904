namespace LynqDashboard.Core.Training;

/// <summary>The steps of a training run, in order.</summary>
public enum TrainingStage
{
    Loading,
    Splitting,
    Featurizing,
    Training,
    Calibrating,
    Evaluating,
    Saving,
    Completed,
}

/// <summary>One progress report: the stage, overall fraction done and, while training, trees done out of total.</summary>
public readonly record struct TrainingProgress(TrainingStage Stage, double Fraction, int TreesDone, int TreesTotal)
{
    // Share of the whole run each stage is worth; training dominates.
    private static readonly double[] StageStart = [0.00, 0.05, 0.07, 0.10, 0.80, 0.85, 0.97, 1.00];

    /// <summary>A report at the start of <paramref name="stage"/>, or within it by <paramref name="withinStage"/> (0–1).</summary>
    public static TrainingProgress At(TrainingStage stage, double withinStage = 0, int treesDone = 0, int treesTotal = 0)
    {
        var index = (int)stage;
        var end = index + 1 < StageStart.Length ? StageStart[index + 1] : 1.0;
        var fraction = StageStart[index] + ((end - StageStart[index]) * Math.Clamp(withinStage, 0, 1));
        return new TrainingProgress(stage, fraction, treesDone, treesTotal);
    }
}

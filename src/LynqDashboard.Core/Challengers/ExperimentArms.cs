namespace LynqDashboard.Core.Challengers;

/// <summary>The A/B arms as the answer's experiment_arm and the ledger's experiment_arm name them.</summary>
public static class ExperimentArms
{
    /// <summary>Answered by the production version.</summary>
    public const string Champion = "champion";

    /// <summary>Answered by the split's challenger version.</summary>
    public const string Challenger = "challenger";

    public static IReadOnlyList<string> All { get; } = [Champion, Challenger];
}

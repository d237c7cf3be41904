using System.CommandLine;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Training;

namespace LynqDashboard.Cli.Commands;

/// <summary>Options shared by generate and train, defined once.</summary>
internal static class CommonOptions
{
    public static Option<int> Rows(bool required) => new("--rows") { Description = "Rows to generate (1 to 50,000,000).", Required = required };

    public static Option<long> Seed() => new("--seed") { Description = "Random seed; the same seed gives the same bytes.", DefaultValueFactory = _ => 42 };

    public static Option<double> DefaultRate() => new("--default-rate")
    {
        Description = "Target default rate, 0.005 to 0.5.",
        DefaultValueFactory = _ => DatasetParameters.DefaultDefaultRate,
    };

    public static Option<string> LabelMode() => new Option<string>("--label-mode")
    {
        Description = "probabilistic (default) or lynq-original (the leaky original, for comparison).",
        DefaultValueFactory = _ => LabelModeNames.Probabilistic,
    }.AcceptOnlyFromAmong(LabelModeNames.Probabilistic, LabelModeNames.LynqOriginal);

    public static Option<double> Threshold() => new("--threshold")
    {
        Description = "PD at or above which a loan counts as a predicted default (0 to 1).",
        DefaultValueFactory = _ => new TrainingParameters().Threshold,
    };

    /// <summary>Generation parameters from a parse result; the label mode was already restricted by the parser.</summary>
    public static DatasetParameters ReadDataset(ParseResult parse, Option<int> rows, Option<long> seed, Option<double> rate, Option<string> mode)
    {
        _ = LabelModeNames.TryParse(parse.GetValue(mode), out var labelMode); // the parser accepts only the two names
        return new DatasetParameters(parse.GetValue(rows), parse.GetValue(seed), parse.GetValue(rate), labelMode);
    }

    public static string Describe(TrainingProgress p) => p.Stage == TrainingStage.Training && p.TreesTotal > 0
        ? $"training, tree {p.TreesDone}/{p.TreesTotal}"
        : p.Stage.ToString().ToLowerInvariant();
}

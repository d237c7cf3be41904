using System.CommandLine;
using Spectre.Console;
using LynqDashboard.Cli.Output;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;

namespace LynqDashboard.Cli.Commands;

internal static class EvaluateCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "A version folder written by train.", Required = true };
        var data = new Option<FileInfo>("--data") { Description = "CSV to evaluate on (the 12 feature columns and default_event).", Required = true };
        var threshold = CommonOptions.Threshold();
        var output = new Option<FileInfo>("--out") { Description = "Also write the validation pack as JSON here." };
        var command = new Command("evaluate", "Evaluate a saved model on a dataset and print the validation pack.") { model, data, threshold, output };
        command.SetAction((parse, ct) => context.GuardAsync(() =>
        {
            var t = parse.GetValue(threshold);
            if (context.Reject(t is >= 0 and <= 1 ? [] : [("threshold", "must be between 0 and 1")]) is { } invalid)
            {
                return Task.FromResult(invalid);
            }

            var loaded = ModelArtifacts.Load(parse.GetValue(model)!.FullName);
            var dataset = DatasetCsvReader.Read(parse.GetValue(data)!.FullName, ct);
            var metrics = ModelEvaluator.Evaluate(loaded, dataset, t, cancellationToken: ct);
            context.Console.WriteLine($"Model version {loaded.Config.Version} ({loaded.Config.ModelType}) on {dataset.Count:N0} rows");
            MetricsReport.Write(context.Console, metrics);
            if (parse.GetValue(output) is { } file)
            {
                metrics.Save(file.FullName);
                context.Console.WriteLine($"Wrote {file.FullName}");
            }

            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }
}

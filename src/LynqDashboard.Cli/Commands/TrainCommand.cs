using System.CommandLine;
using Spectre.Console;
using LynqDashboard.Cli.Output;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Workflows;

namespace LynqDashboard.Cli.Commands;

internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<FileInfo>("--data") { Description = "Training CSV (the 12 feature columns and default_event)." };
        var rows = CommonOptions.Rows(required: false);
        rows.Description = "Generate this many rows first instead of reading --data (like the original script).";
        var seed = CommonOptions.Seed();
        var rate = CommonOptions.DefaultRate();
        var mode = CommonOptions.LabelMode();
        var output = new Option<DirectoryInfo>("--out") { Description = "The version folder to create (model.zip, feature_config.json, metrics.json, ...).", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace the output folder if it exists." };
        var version = new Option<string>("--model-version") { Description = "Version label recorded with the model.", DefaultValueFactory = _ => "1" };
        var description = new Option<string>("--description") { Description = "Free text stored with the model.", DefaultValueFactory = _ => "LYNQ default model" };
        var defaults = new TrainingParameters();
        var trainer = new Option<TrainerKind>("--trainer") { Description = "FastTree (default) or LightGbm.", DefaultValueFactory = _ => defaults.Trainer };
        var trees = new Option<int>("--trees") { Description = "Boosted trees.", DefaultValueFactory = _ => defaults.Trees };
        var leaves = new Option<int>("--leaves") { Description = "Leaves per tree (the original LYNQ script used 64).", DefaultValueFactory = _ => defaults.Leaves };
        var learningRate = new Option<double>("--learning-rate") { Description = "Shrinkage per tree (the original used 0.1).", DefaultValueFactory = _ => defaults.LearningRate };
        var minLeaf = new Option<int>("--min-examples-per-leaf") { Description = "Smallest leaf (the original used 20).", DefaultValueFactory = _ => defaults.MinExamplesPerLeaf };
        var subsample = new Option<double>("--subsample") { Description = "Share of rows each tree sees.", DefaultValueFactory = _ => defaults.Subsample };
        var featureFraction = new Option<double>("--feature-fraction") { Description = "Share of features each tree sees.", DefaultValueFactory = _ => defaults.FeatureFraction };
        var threshold = CommonOptions.Threshold();

        var command = new Command("train", "Train a default model (FastTree, calibrated on validation) and write a version folder with the validation pack.")
        {
            data, rows, seed, rate, mode, output, force, version, description, trainer, trees, leaves, learningRate, minLeaf, subsample, featureFraction, threshold,
        };
        command.Validators.Add(result =>
        {
            var hasData = result.GetResult(data) is not null;
            var hasRows = result.GetResult(rows) is not null;
            if (hasData == hasRows)
            {
                result.AddError("Give either --data FILE.csv or --rows N (with --seed) to generate the data first.");
            }
        });
        command.SetAction((parse, ct) => context.GuardAsync(async () =>
        {
            var parameters = new TrainingParameters(
                parse.GetValue(trainer), parse.GetValue(trees), parse.GetValue(leaves), parse.GetValue(learningRate), parse.GetValue(minLeaf),
                parse.GetValue(subsample), parse.GetValue(featureFraction), parse.GetValue(threshold), (int)(parse.GetValue(seed) & int.MaxValue));
            if (context.Reject(parameters.Validate()) is { } invalid)
            {
                return invalid;
            }

            var outDir = parse.GetValue(output)!.FullName;
            if (Directory.Exists(outDir) && !parse.GetValue(force))
            {
                await context.Error.WriteLineAsync($"error: --out {outDir} already exists; choose another folder or add --force to replace it.").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            string csv;
            string? scratch = null;
            LoadedDataset? loaded = null;
            if (parse.GetValue(data) is { } file)
            {
                csv = file.FullName;
            }
            else
            {
                var generation = CommonOptions.ReadDataset(parse, rows, seed, rate, mode);
                if (context.Reject(generation.Validate()) is { } badGeneration)
                {
                    return badGeneration;
                }

                scratch = Path.Combine(Path.GetDirectoryName(outDir)!, $".{Path.GetFileName(outDir)}.data-{Guid.NewGuid():N}");
                csv = Path.Combine(scratch, "dataset.csv");
                // The rows stay in memory as the file reads, so training does not parse the file it has just written.
                var (manifest, kept) = await GenerateCommand.GenerateKeepingRowsAsync(context, generation, csv, ct).ConfigureAwait(false);
                loaded = new LoadedDataset(kept, manifest.Sha256);
            }

            try
            {
                var request = new TrainingRequest(csv, outDir, parse.GetValue(version)!, parse.GetValue(description)!, parameters, parse.GetValue(force), IncludeDataset: scratch is not null, Loaded: loaded);
                var outcome = await TerminalProgress.RunAsync(context.Console, "Training", reporter =>
                    TrainingPipeline.RunAsync(request, new InlineProgress<TrainingProgress>(p => reporter.Report((p.Fraction, CommonOptions.Describe(p)))), cancellationToken: ct)).ConfigureAwait(false);
                MetricsReport.Write(context.Console, outcome.Model.Metrics);
                context.Console.WriteLine();
                context.Console.WriteLine($"Saved version {request.Version} to {outcome.Artifacts.Directory}");
                foreach (var artifact in outcome.Artifacts.Files)
                {
                    context.Console.WriteLine($"  {artifact.Name,-24} {artifact.SizeBytes,12:N0} bytes  sha256 {artifact.Sha256[..16]}…");
                }

                return ExitCodes.Success;
            }
            finally
            {
                if (scratch is not null && Directory.Exists(scratch))
                {
                    Directory.Delete(scratch, recursive: true);
                }
            }
        }));
        return command;
    }
}

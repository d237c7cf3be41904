using System.CommandLine;
using Spectre.Console;
using LynqDashboard.Cli.Output;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Cli.Commands;

internal static class GenerateCommand
{
    public static Command Create(CliContext context)
    {
        var rows = CommonOptions.Rows(required: true);
        var seed = CommonOptions.Seed();
        var rate = CommonOptions.DefaultRate();
        var mode = CommonOptions.LabelMode();
        var output = new Option<FileInfo>("--out") { Description = "The CSV file to write (its manifest goes beside it).", Required = true };
        var command = new Command("generate", "Generate a LYNQ loan dataset as CSV plus a manifest (parameters, row count, default rate, SHA-256).")
        {
            rows, seed, rate, mode, output,
        };
        command.SetAction((parse, ct) => context.GuardAsync(async () =>
        {
            var parameters = CommonOptions.ReadDataset(parse, rows, seed, rate, mode);
            if (context.Reject(parameters.Validate()) is { } invalid)
            {
                return invalid;
            }

            var path = parse.GetValue(output)!.FullName;
            var manifest = await GenerateAsync(context, parameters, path, ct).ConfigureAwait(false);
            context.Console.WriteLine($"Wrote {manifest.RowCount:N0} rows to {path}");
            context.Console.WriteLine($"  default rate {manifest.ObservedDefaultRate:P2} (target {parameters.DefaultRate:P2}), {manifest.SizeBytes:N0} bytes, sha256 {manifest.Sha256}");
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Task<DatasetManifest> GenerateAsync(CliContext context, DatasetParameters parameters, string path, CancellationToken ct) =>
        TerminalProgress.RunAsync(context.Console, "Generating", reporter =>
            DatasetFiles.GenerateAsync(parameters, path, Rows(reporter), cancellationToken: ct));

    /// <summary>Generates the file and keeps its rows in memory as the file reads (for training on them next).</summary>
    public static Task<(DatasetManifest Manifest, LoanDataset Rows)> GenerateKeepingRowsAsync(CliContext context, DatasetParameters parameters, string path, CancellationToken ct) =>
        TerminalProgress.RunAsync(context.Console, "Generating", reporter =>
            DatasetFiles.GenerateKeepingRowsAsync(parameters, path, Rows(reporter), cancellationToken: ct));

    private static InlineProgress<GenerationProgress> Rows(IProgress<(double Fraction, string Status)> reporter) =>
        new(p => reporter.Report((p.Fraction, $"{p.RowsDone:N0}/{p.RowsTotal:N0} rows")));
}

/// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post out of order to the thread pool).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

using System.CommandLine;
using LynqDashboard.Cli.Commands;
using LynqDashboard.Core;
using Spectre.Console;

namespace LynqDashboard.Cli;

/// <summary>Exit codes: 0 success, 1 failure, 2 invalid input, 130 cancelled.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int InvalidInput = 2;
    public const int Cancelled = 130;
}

/// <summary>The `lynq` command line: generate, train, evaluate, score, simulate, promote, rollback.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = CreateRoot(new CliContext(console, error));
        var output = new ConsoleWriter(console);
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every verb with its options (what --help describes).</summary>
    public static RootCommand CreateRoot(CliContext context) => new("LynqDashboard command line: generate LYNQ loan data, train and evaluate default models, score applications, promote versions to S3 and roll back.")
    {
        GenerateCommand.Create(context),
        TrainCommand.Create(context),
        EvaluateCommand.Create(context),
        ScoreCommand.Create(context),
        SimulateCommand.Create(context),
        PromotionCommandLine.Promote(context),
        PromotionCommandLine.Rollback(context),
    };

    /// <summary>
    /// Help and parse errors go through the same console as everything else, so tests see them. Every way a
    /// TextWriter can write ends in the console's writer: WriteLine() writes its newline through Write(char[], int, int),
    /// and a writer that missed that one ran every help line into the next.
    /// </summary>
    private sealed class ConsoleWriter(IAnsiConsole console) : TextWriter
    {
        private TextWriter Target => console.Profile.Out.Writer;

        public override System.Text.Encoding Encoding => Target.Encoding;

        public override void Write(char value) => Target.Write(value);

        public override void Write(char[] buffer, int index, int count) => Target.Write(buffer, index, count);

        public override void Write(string? value) => Target.Write(value);

        public override void WriteLine() => Target.WriteLine();

        public override void WriteLine(string? value) => Target.WriteLine(value);

        public override void Flush() => Target.Flush();
    }
}

/// <summary>What every command writes to, and the one place that turns exceptions into one clear line and an exit code.</summary>
public sealed class CliContext(IAnsiConsole console, TextWriter error)
{
    public IAnsiConsole Console { get; } = console;

    public TextWriter Error { get; } = error;

    public async Task<int> GuardAsync(Func<Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (LynqException problem)
        {
            await Error.WriteLineAsync($"error: {problem.Message}").ConfigureAwait(false);
            return ExitCodeOf(problem.Kind);
        }
        catch (OperationCanceledException)
        {
            await Error.WriteLineAsync("cancelled: nothing was written.").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Data.Common.DbException)
        {
            // The files and database a person pointed the command at: a path, a permission, a file that is not what it should be.
            await Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
#pragma warning disable CA1031 // the last line of defence: one clear line and exit code 1, never a stack trace
        catch (Exception e)
#pragma warning restore CA1031
        {
            await Error.WriteLineAsync($"error: unexpected {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// Input that breaks a rule or names something not on record (--version 9 when there is no v9) exits with 2: fix the
    /// command line and run it again. A state that does not allow it, a refusal or an unreachable store exits with 1.
    /// </summary>
    public static int ExitCodeOf(ProblemKind kind) => kind is ProblemKind.Invalid or ProblemKind.NotFound ? ExitCodes.InvalidInput : ExitCodes.Failure;

    /// <summary>Prints each (field, message) and returns <see cref="ExitCodes.InvalidInput"/>; returns null when there are none.</summary>
    public int? Reject(IEnumerable<(string Field, string Message)> errors)
    {
        var list = errors.ToList();
        foreach (var (field, message) in list)
        {
            Error.WriteLine($"error: --{field.Replace('_', '-')} {message}");
        }

        return list.Count == 0 ? null : ExitCodes.InvalidInput;
    }
}

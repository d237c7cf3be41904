using System.CommandLine;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace LynqDashboard.Cli.Tests;

/// <summary>--help is read by people in a terminal and by scripts through a pipe: one option per line, each with its words and default.</summary>
public sealed partial class HelpTests
{
    public static TheoryData<string> Verbs => [.. CliApp.CreateRoot(Context()).Subcommands.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Help_EveryVerb_PrintsOneOptionPerLineWithDescriptionAndDefault(string verb)
    {
        var root = CliApp.CreateRoot(Context());
        var command = root.Subcommands.Single(c => c.Name == verb);
        var options = command.Options.Concat(root.Options.Where(o => o.Recursive)).Where(o => !o.Hidden).ToList();

        var (code, output, _) = await CliRunner.RunAsync(verb, "--help");

        Assert.Equal(0, code);
        var lines = OptionLines(output);
        foreach (var option in options)
        {
            var line = Assert.Single(lines, l => Names(l).Contains(option.Name));
            var description = OptionToken().Replace(line, string.Empty).Trim();
            Assert.False(string.IsNullOrWhiteSpace(description), $"{verb} {option.Name} has no description: '{line}'");
            Assert.StartsWith(option.Description ?? "Show", description, StringComparison.Ordinal);
            if (option.HasDefaultValue && option.ValueType != typeof(bool) && option.GetDefaultValue() is not null)
            {
                Assert.Matches(@"\[default: [^\]]+\]$", line);
            }
        }

        Assert.Equal(options.Count, lines.Count);
    }

    [Fact]
    public async Task Help_Root_ListsEveryVerbOnItsOwnLine()
    {
        var (code, output, _) = await CliRunner.RunAsync("--help");

        Assert.Equal(0, code);
        var commands = output.Split('\n').SkipWhile(l => !l.StartsWith("Commands:", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.Trim().Length > 0).ToList();
        Assert.Equal(Verbs.Select(v => (string)v.Data).Order(), commands.Select(l => l.Trim().Split(' ')[0]).Order());
    }

    [Fact]
    public async Task Help_RedirectedProcess_KeepsTheLineStructure()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "lynq.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        start.ArgumentList.Add("train");
        start.ArgumentList.Add("--help");
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, process.ExitCode);
        var lines = OptionLines(output);
        Assert.Contains(lines, l => l.StartsWith("  --trees <trees>", StringComparison.Ordinal) && l.EndsWith("[default: 300]", StringComparison.Ordinal));
        Assert.True(lines.Count >= 17, $"expected every train option on its own line, got {lines.Count}:{Environment.NewLine}{output}");
    }

    // The lines under "Options:" up to the first blank line.
    private static List<string> OptionLines(string help) =>
        [.. help.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n')
            .SkipWhile(l => !l.StartsWith("Options:", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.Trim().Length > 0)];

    private static string[] Names(string line)
    {
        var token = OptionToken().Match(line);
        return [token.Groups[1].Value, .. token.Groups[2].Captures.Select(c => c.Value.TrimStart(',', ' '))];
    }

    private static CliContext Context() => new(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }), TextWriter.Null);

    // "  -?, -h, --help" or "  --rows <rows> (REQUIRED)": the names, the value placeholder and the required mark.
    [GeneratedRegex(@"^\s+(-[^\s,]+)(, -[^\s,]+)*( <[^>]+>)?( \(REQUIRED\))?")]
    private static partial Regex OptionToken();
}

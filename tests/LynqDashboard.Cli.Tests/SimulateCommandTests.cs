using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using LynqDashboard.Cli.Commands;
using LynqDashboard.Core.Monitoring;

namespace LynqDashboard.Cli.Tests;

public sealed partial class SimulateCommandTests : IAsyncLifetime
{
    private ScoringApiListener _server = null!;

    public SimulateCommandTests()
    {
        SimulateCommand.RetryWait = TimeSpan.FromMilliseconds(10);
    }

    public async ValueTask InitializeAsync() => _server = await ScoringApiListener.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Simulate_Rows_AreSentInBatchesUnderTheirOwnRequestIds()
    {
        var (code, output, error) = await SimulateAsync("--rows", "1200", "--seed", "7", "--drift", "young-wallets", "--batch-size", "500");

        Assert.True(code == 0, error);
        var batches = _server.Batches.ToList();
        Assert.Equal([500, 500, 200], batches.Select(b => b.Applications.Count));
        var prefix = RequestIdPattern().Match(batches[0].RequestId);
        Assert.True(prefix.Success, batches[0].RequestId);
        Assert.Equal(["0", "1", "2"], batches.Select(b => b.RequestId[(prefix.Groups["run"].Value.Length + 1)..]));
        var expected = new TrafficSimulator(1200, 7, TrafficDrift.YoungWallets).Applications().Select(a => a.Application).ToList();
        Assert.Equal(expected, batches.SelectMany(b => b.Applications));
        Assert.Equal(0, _server.OutcomePosts);
        Assert.Contains("Simulated 1,200 applications (drift young-wallets, seed 7)", output, StringComparison.Ordinal);
        Assert.Contains("scored 1,200, refused 0", output, StringComparison.Ordinal);
        Assert.Contains("Scoring: 100%", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WithOutcomes_PostsEachDecisionsDrawnOutcomeAndRetriesThoseNotYetLedgered()
    {
        _server.LedgerLag = 2; // every id is "unknown" twice before the ledger has it

        var (code, output, error) = await SimulateAsync("--rows", "700", "--seed", "3", "--outcomes", "--batch-size", "300");

        Assert.True(code == 0, error);
        var batches = _server.Batches.ToList();
        var drawn = new TrafficSimulator(700, 3).Applications().ToList();
        var expected = batches.SelectMany((b, n) => b.Applications.Select((_, i) => (Id: $"{b.RequestId}-{i}", Defaulted: drawn[(n * 300) + i].Defaulted)));
        Assert.Equal(expected.OrderBy(e => e.Id, StringComparer.Ordinal), _server.Outcomes.Select(o => (Id: o.Key, Defaulted: o.Value)).OrderBy(e => e.Id, StringComparer.Ordinal));
        Assert.Equal(3, _server.OutcomePosts);
        Assert.Contains("outcomes: 700 recorded, 0 unknown, 0 refused", output, StringComparison.Ordinal);
        var rate = drawn.Count(a => a.Defaulted) / 700.0;
        Assert.Contains($"drawn default rate {rate:P2}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_OutcomesTheLedgerNeverLearns_AreReportedUnknownAfterTheRetries()
    {
        _server.IsLost = id => SecondBatchId().IsMatch(id);

        var (code, output, error) = await SimulateAsync("--rows", "10", "--seed", "5", "--outcomes", "--batch-size", "5");

        Assert.True(code == 0, error);
        Assert.Equal(5, _server.Outcomes.Count);
        Assert.Contains("outcomes: 5 recorded, 5 unknown, 0 refused", output, StringComparison.Ordinal);
        Assert.Equal(1 + SimulateCommand.UnknownRetries, _server.OutcomePosts);
    }

    [Fact]
    public async Task Simulate_AWrongKey_ExitsOneWithOneLineNaming401()
    {
        var (code, _, error) = await CliRunner.RunAsync("simulate", "--url", _server.Url.ToString(), "--api-key", "wrong", "--rows", "10");

        Assert.Equal(1, code);
        var line = Assert.Single(ErrorLines(error));
        Assert.Contains("refused the API key (401): check --api-key", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_ABatchRefused_ExitsOneWithTheServersReasons()
    {
        _server.RefuseBatchesWith = HttpStatusCode.UnprocessableEntity;

        var (code, _, error) = await SimulateAsync("--rows", "10");

        Assert.Equal(1, code);
        var line = Assert.Single(ErrorLines(error));
        Assert.Contains("(422): The batch has invalid fields.; applications[0].loan_amount: must be above 0", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_AnUnreachableUrl_ExitsOneWithOneLine()
    {
        var port = FreePort();

        var (code, _, error) = await CliRunner.RunAsync("simulate", "--url", $"http://127.0.0.1:{port}", "--api-key", "k", "--rows", "10");

        Assert.Equal(1, code);
        var line = Assert.Single(ErrorLines(error));
        Assert.StartsWith($"error: cannot reach http://127.0.0.1:{port}/", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rows", "0", "error: --rows must be between 1")]
    [InlineData("--batch-size", "20000", "error: --batch-size must be between 1 and 10,000")]
    [InlineData("--url", "ftp://x", "error: --url must be an absolute http(s) URL")]
    public async Task Simulate_BadOptions_ExitTwoNamingTheOption(string option, string value, string message)
    {
        string[] args = ["simulate", "--url", _server.Url.ToString(), "--api-key", ScoringApiListener.Key, "--rows", "10"];
        var at = Array.IndexOf(args, option);
        args = at >= 0 ? [.. args[..(at + 1)], value, .. args[(at + 2)..]] : [.. args, option, value];

        var (code, _, error) = await CliRunner.RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Empty(_server.Batches);
    }

    [Fact]
    public async Task Simulate_AnUnknownDrift_IsRefusedByTheParser()
    {
        var (code, output, error) = await SimulateAsync("--rows", "10", "--drift", "sideways");

        Assert.NotEqual(0, code);
        Assert.Contains("sideways", output + error, StringComparison.Ordinal);
        Assert.Empty(_server.Batches);
    }

    private Task<(int ExitCode, string Output, string Error)> SimulateAsync(params string[] args) => SimulateAsync(_server, args);

    private static Task<(int ExitCode, string Output, string Error)> SimulateAsync(ScoringApiListener server, params string[] args) =>
        CliRunner.RunAsync(["simulate", "--url", server.Url.ToString(), "--api-key", ScoringApiListener.Key, .. args]);

    private static string[] ErrorLines(string error) => error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToArray();

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^(?<run>sim-7-[0-9a-f]{8})-0$")]
    private static partial Regex RequestIdPattern();

    [GeneratedRegex(@"^sim-5-[0-9a-f]{8}-1-\d+$")]
    private static partial Regex SecondBatchId();
}

using System.CommandLine;
using LynqDashboard.Cli.Output;
using LynqDashboard.Core.Monitoring;
using Spectre.Console;

namespace LynqDashboard.Cli.Commands;

/// <summary>
/// `lynq simulate`: production-like traffic through the real scoring API, so the ledger and monitoring have something to
/// watch. Batch b goes out with X-Request-ID "sim-{seed}-{run}-{b}", and the server ledgers item i as "{that id}-{i}", so
/// the command knows every decision's request id and can report its outcome.
/// </summary>
internal static class SimulateCommand
{
    public const int MaxBatch = 10_000;
    public const int MaxOutcomesPerPost = 10_000;

    /// <summary>How often outcomes answered "unknown" are sent again: the server writes its ledger a moment after answering.</summary>
    internal static int UnknownRetries { get; set; } = 5;

    internal static TimeSpan RetryWait { get; set; } = TimeSpan.FromMilliseconds(400);

    public static Command Create(CliContext context)
    {
        var url = new Option<string>("--url") { Description = "The scoring API's base URL, e.g. http://localhost:8080.", Required = true };
        var apiKey = new Option<string>("--api-key") { Description = "An API key of the scoring API (sent as X-API-KEY).", Required = true };
        var rows = new Option<int>("--rows") { Description = $"Applications to send (1 to {TrafficSimulator.MaxRows:N0}).", Required = true };
        var drift = new Option<string>("--drift")
        {
            // Each choice's description is a sentence of its own (no ".;" between them); help keeps an option on one line.
            Description = "How the traffic departs from training. " + string.Join(" ", TrafficDrifts.All.Select(d => $"{d.ToName()}: {d.Describe()}")),
            DefaultValueFactory = _ => TrafficDrifts.None,
        }.AcceptOnlyFromAmong([.. TrafficDrifts.Names]);
        var outcomes = new Option<bool>("--outcomes") { Description = "Also post each decision's outcome, drawn from its true PD, to /api/ml/outcomes." };
        var seed = CommonOptions.Seed();
        var batchSize = new Option<int>("--batch-size") { Description = $"Applications per request (1 to {MaxBatch:N0}).", DefaultValueFactory = _ => 500 };
        var command = new Command("simulate", "Send simulated loan applications (optionally drifted) through a running scoring API, and optionally their outcomes.")
        {
            url, apiKey, rows, drift, outcomes, seed, batchSize,
        };
        command.SetAction((parse, ct) => context.GuardAsync(async () =>
        {
            var problems = new List<(string, string)>();
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
            {
                problems.Add(("url", $"must be an absolute http(s) URL (got \"{parse.GetValue(url)}\")"));
            }

            if (parse.GetValue(rows) is < 1 or > TrafficSimulator.MaxRows)
            {
                problems.Add(("rows", $"must be between 1 and {TrafficSimulator.MaxRows:N0} (got {parse.GetValue(rows):N0})"));
            }

            if (parse.GetValue(batchSize) is < 1 or > MaxBatch)
            {
                problems.Add(("batch_size", $"must be between 1 and {MaxBatch:N0} (got {parse.GetValue(batchSize):N0})"));
            }

            if (string.IsNullOrWhiteSpace(parse.GetValue(apiKey)))
            {
                problems.Add(("api_key", "must not be empty"));
            }

            if (context.Reject(problems) is { } invalid)
            {
                return invalid;
            }

            _ = TrafficDrifts.TryParse(parse.GetValue(drift), out var chosen); // the parser accepts only the names
            var simulator = new TrafficSimulator(parse.GetValue(rows), parse.GetValue(seed), chosen);
            using var client = ScoringApiClient.Create(baseUrl!, parse.GetValue(apiKey)!);
            var run = new SimulationRun(context, client, simulator, parse.GetValue(batchSize));
            var tally = await run.SendAsync(ct).ConfigureAwait(false);
            if (parse.GetValue(outcomes))
            {
                await run.PostOutcomesAsync(ct).ConfigureAwait(false);
            }

            WriteSummary(context.Console, run, tally, parse.GetValue(outcomes));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void WriteSummary(IAnsiConsole console, SimulationRun run, SimulationTally tally, bool outcomes)
    {
        console.WriteLine($"Simulated {tally.Sent:N0} applications (drift {run.Simulator.Drift.ToName()}, seed {run.Simulator.Seed}), request ids {run.RequestIdPrefix}-{{batch}}-{{index}}");
        console.WriteLine($"  scored {tally.Scored:N0}, refused {tally.Sent - tally.Scored:N0}");
        console.WriteLine($"  actions: {tally.DescribeActions()}");
        console.WriteLine($"  mean PD {tally.MeanPd:P2}, mean true PD {tally.MeanTruePd:P2}, drawn default rate {tally.DrawnDefaultRate:P2}");
        if (outcomes)
        {
            console.WriteLine($"  outcomes: {tally.OutcomesRecorded:N0} recorded, {tally.OutcomesUnknown:N0} unknown, {tally.OutcomesRefused:N0} refused");
        }
    }

    /// <summary>Progress goes to standard error, so the summary on standard output stays clean to read or pipe.</summary>
    internal static IAnsiConsole ProgressConsole(CliContext context)
    {
        var interactive = ReferenceEquals(context.Error, Console.Error) && !Console.IsErrorRedirected;
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Error),
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
        });
    }

    /// <summary>One run's state: the tally and the request id and outcome of every scored decision.</summary>
    private sealed class SimulationRun(CliContext context, ScoringApiClient client, TrafficSimulator simulator, int batchSize)
    {
        private readonly List<(string RequestId, bool Defaulted)> _outcomes = [];
        private readonly SimulationTally _tally = new();

        public TrafficSimulator Simulator => simulator;

        // A run tag keeps a second run with the same seed from reusing the first one's request ids.
        public string RequestIdPrefix { get; } = $"sim-{simulator.Seed}-{Guid.NewGuid().ToString("N")[..8]}";

        public Task<SimulationTally> SendAsync(CancellationToken cancellationToken) =>
            TerminalProgress.RunAsync(ProgressConsole(context), "Scoring", async reporter =>
            {
                var batch = 0;
                foreach (var applications in simulator.Applications().Chunk(batchSize))
                {
                    var requestId = $"{RequestIdPrefix}-{batch++}";
                    var scored = await client.ScoreBatchAsync(requestId, applications, cancellationToken).ConfigureAwait(false);
                    foreach (var application in applications)
                    {
                        _tally.AddSent(application);
                    }

                    foreach (var item in scored)
                    {
                        if (item.Action is { } action && item.Index >= 0 && item.Index < applications.Length)
                        {
                            _tally.AddScored(action, item.DefaultProbability);
                            _outcomes.Add(($"{requestId}-{item.Index}", applications[item.Index].Defaulted));
                        }
                    }

                    reporter.Report(((double)_tally.Sent / simulator.Rows, $"{_tally.Sent:N0}/{simulator.Rows:N0} applications"));
                }

                return _tally;
            });

        public Task PostOutcomesAsync(CancellationToken cancellationToken) =>
            TerminalProgress.RunAsync(ProgressConsole(context), "Outcomes", async reporter =>
            {
                var observedAt = DateTimeOffset.UtcNow;
                var done = 0;
                foreach (var chunk in _outcomes.Chunk(MaxOutcomesPerPost))
                {
                    IReadOnlyList<(string RequestId, bool Defaulted)> pending = chunk;
                    for (var attempt = 0; pending.Count > 0; attempt++)
                    {
                        var verdicts = await client.PostOutcomesAsync(pending, observedAt, cancellationToken).ConfigureAwait(false);
                        var unknown = new HashSet<string>(verdicts.Where(v => v.Verdict == OutcomeVerdict.UnknownRequest).Select(v => v.RequestId), StringComparer.Ordinal);
                        if (unknown.Count == 0 || attempt >= UnknownRetries)
                        {
                            _tally.AddOutcomes(verdicts.Select(v => v.Verdict));
                            break;
                        }

                        _tally.AddOutcomes(verdicts.Where(v => v.Verdict != OutcomeVerdict.UnknownRequest).Select(v => v.Verdict));
                        pending = [.. pending.Where(o => unknown.Contains(o.RequestId))];
                        await Task.Delay(RetryWait * (attempt + 1), cancellationToken).ConfigureAwait(false);
                    }

                    done += chunk.Length;
                    reporter.Report(((double)done / Math.Max(1, _outcomes.Count), $"{done:N0}/{_outcomes.Count:N0} outcomes"));
                }

                return done;
            });
    }
}

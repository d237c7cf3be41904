using LynqDashboard.Core.Artifacts;
using LynqDashboard.Tests.Shared;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Infrastructure;
using LynqDashboard.Infrastructure.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Benchmarks;

/// <summary>
/// The scoring API under load from wrk (Debian package), against the real built app serving a default model
/// trained on 50k rows: requests per second, latency percentiles, errors; and a 10,000-application batch.
/// Needs `dotnet build -c Release src/LynqDashboard.Web` and `apt-get install wrk`.
/// </summary>
internal static class ApiLoadScenario
{
    private const string Key = "bench-key-0123456789abcdef";

    private const string Applicant = """{"wallet_address":"0xabc","wallet_age_days":365,"total_transactions":150,"total_volume_usd":50000,"defi_interactions":25,"loan_amount":1000,"collateral_value_usd":1500,"term_months":3,"previous_loans":2,"successful_repayments":2,"defaults":0,"reputation_score":75}""";

    public static async Task<string> RunAsync(string dir)
    {
        if (!File.Exists(BuiltWebApp.Dll) || !File.Exists("/usr/bin/wrk"))
        {
            return "skipped: needs the Release web build and /usr/bin/wrk";
        }

        await using var web = await StartServingAsync(dir);
        var http = web.Client;
        http.DefaultRequestHeaders.Add("X-API-KEY", Key);
        var script = await ScoringScriptAsync(dir);
        await RunWrkAsync(script, web.Port, "/api/ml/credit-score", seconds: 3); // warm-up
        var wrk = (await RunWrkAsync(script, web.Port, "/api/ml/credit-score", seconds: 15)).Summary;

        var batch = "{\"applications\":[" + string.Join(',', Enumerable.Repeat(Applicant, 10_000)) + "]}";
        var withFactors = await TimeBatchAsync(http, batch, explain: true);
        var withoutFactors = await TimeBatchAsync(http, batch, explain: false);
        return string.Create(CultureInfo.InvariantCulture, $"{wrk}; batch of 10,000: {withFactors:F0} ms with factors, {withoutFactors:F0} ms without (client-measured, best of 3)");
    }

    /// <summary>
    /// The box's ceiling for this app: wrk on the scoring endpoint and on GET /health of the same process, taking turns
    /// (<paramref name="pairs"/> pairs of <paramref name="seconds"/> s each, which of the two goes first alternating), so the
    /// ratio is measured in one run on whatever the machine gives. Many short turns rather than a few long ones: this
    /// box's speed drifts by 2–3× within minutes, and the median of many adjacent pairs is what that leaves comparable.
    /// The scoring warm-up is long (10 s) because the first seconds still run tier-0 code and fill the ledger's buffers.
    /// </summary>
    public static async Task<string> AgainstHealthAsync(string dir, int pairs = 10, int seconds = 4)
    {
        if (!File.Exists(BuiltWebApp.Dll) || !File.Exists("/usr/bin/wrk"))
        {
            return "skipped: needs the Release web build and /usr/bin/wrk";
        }

        await using var web = await StartServingAsync(dir);
        var score = await ScoringScriptAsync(dir);
        var health = Path.Combine(dir, "get.lua");
        await File.WriteAllTextAsync(health, "wrk.method = \"GET\"\n");
        await RunWrkAsync(score, web.Port, "/api/ml/credit-score", seconds: 10);
        await RunWrkAsync(health, web.Port, "/health", seconds: 3);
        var ratios = new List<double>();
        var p99s = new List<double>();
        for (var pair = 0; pair < pairs; pair++)
        {
            WrkRun scored, ceiling;
            if (pair % 2 == 0)
            {
                scored = await RunWrkAsync(score, web.Port, "/api/ml/credit-score", seconds);
                ceiling = await RunWrkAsync(health, web.Port, "/health", seconds);
            }
            else
            {
                ceiling = await RunWrkAsync(health, web.Port, "/health", seconds);
                scored = await RunWrkAsync(score, web.Port, "/api/ml/credit-score", seconds);
            }

            ratios.Add(scored.RequestsPerSecond / ceiling.RequestsPerSecond);
            p99s.Add(scored.P99Ms);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pair {pair + 1}: score {scored.RequestsPerSecond:N0} req/s p99 {scored.P99Ms:F2} ms; health {ceiling.RequestsPerSecond:N0} req/s p99 {ceiling.P99Ms:F2} ms; ratio {ratios[^1]:F3}"));
        }

        ratios.Sort();
        p99s.Sort();
        return string.Create(CultureInfo.InvariantCulture,
            $"score/health req/s ratio over {pairs} pairs of {seconds} s: min {ratios[0]:F3} median {Median(ratios):F3} max {ratios[^1]:F3}; score p99 median {Median(p99s):F2} ms (min {p99s[0]:F2}, max {p99s[^1]:F2})");
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static async Task<BuiltWebApp> StartServingAsync(string dir)
    {
        // Only a production version serves (governance): the trained version is marked so, as the other benches do.
        var data = new DataDirectory(dir);
        await TrainOneAsync(data);
        await ShadowOverheadScenario.ServeNewestAsync(data);
        var environment = new Dictionary<string, string>
        {
            ["LYNQ_API_KEYS"] = Key,
            ["Lynq__Scoring__PermitsPerMinute"] = "10000000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        return await BuiltWebApp.StartAsync(dir, environment, health => health.Contains("\"model_loaded\":true", StringComparison.Ordinal));
    }

    internal static async Task<string> ScoringScriptAsync(string dir)
    {
        var script = Path.Combine(dir, "post.lua");
        await File.WriteAllTextAsync(script, $"wrk.method = \"POST\"\nwrk.body = '{Applicant}'\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.headers[\"X-API-KEY\"] = \"{Key}\"\n");
        return script;
    }

    internal static async Task TrainOneAsync(DataDirectory data)
    {
        data.EnsureCreated();
        await using var services = new ServiceCollection().AddLynqInfrastructure(data.RegistryDatabase).BuildServiceProvider();
        await RegistryDatabase.MigrateAsync(services.GetRequiredService<IDbContextFactory<RegistryDbContext>>());
        var registry = services.GetRequiredService<IModelRegistry>();
        using var runs = new InlineRuns(registry, data, new NullScheduler(), new NullPublisher());
        var dataset = await runs.Commands.GenerateAsync(new DatasetParameters(50_000, 42));
        await runs.Generation.RunAsync(dataset.Id, CancellationToken.None);
        var version = await runs.Commands.TrainAsync(dataset.Id, new TrainingParameters());
        await runs.Training.RunAsync(version.Id, CancellationToken.None);
    }

    internal sealed record WrkRun(string Summary, double RequestsPerSecond, double P99Ms);

    internal static async Task<WrkRun> RunWrkAsync(string script, int port, string path, int seconds)
    {
        var start = new ProcessStartInfo("/usr/bin/wrk") { RedirectStandardOutput = true };
        foreach (var arg in new[] { "-t2", "-c32", $"-d{seconds}s", "--latency", "-s", script, $"http://127.0.0.1:{port}{path}" })
        {
            start.ArgumentList.Add(arg);
        }

        using var wrk = Process.Start(start)!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        string Line(string prefix) => output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) ?? $"{prefix} ?";
        var errors = output.Split('\n').Where(l => l.Contains("Non-2xx", StringComparison.Ordinal) || l.Contains("Socket errors", StringComparison.Ordinal)).Select(l => l.Trim());
        var rps = double.TryParse(Line("Requests/sec:").Split(':')[^1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var r) ? r : double.NaN;
        return new WrkRun(
            $"wrk 2 threads 32 connections {seconds}s: {Line("Requests/sec:")}, latency {Line("50%")} {Line("99%")}, errors: {(errors.Any() ? string.Join(" ", errors) : "none")}",
            rps,
            Milliseconds(Line("99%").Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]));
    }

    // wrk prints latencies as 812.00us, 1.23ms or 1.01s.
    private static double Milliseconds(string value)
    {
        var (number, scale) = value.EndsWith("us", StringComparison.Ordinal) ? (value[..^2], 0.001)
            : value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 1.0)
            : value.EndsWith('s') ? (value[..^1], 1000.0) : (value, double.NaN);
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed * scale : double.NaN;
    }

    private static async Task<double> TimeBatchAsync(HttpClient http, string body, bool explain)
    {
        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.PostAsync($"/api/ml/credit-score/batch?explain={explain.ToString().ToLowerInvariant()}", new StringContent(body, Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
            _ = await response.Content.ReadAsByteArrayAsync();
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
        }

        return best;
    }
}

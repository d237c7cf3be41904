using System.Globalization;
using System.Text.RegularExpressions;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Storage;
using LynqDashboard.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using LynqDashboard.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace LynqDashboard.Benchmarks;

/// <summary>
/// What the decision ledger costs the scoring API: the built app on one data folder, started with the ledger on and
/// off in turns (Lynq__Monitoring__Ledger__Enabled), wrk on POST /api/ml/credit-score each time; after each "on" run
/// the ledger's recorded / written / dropped counts from /metrics, and the rows in the database once the app stopped
/// on SIGTERM (a graceful stop flushes the buffer, so stored = recorded).
/// Beside req/s it prints the app's CPU per scoring request (from /proc, counted until the ledger has written
/// everything, so the writer's work after the load is included): what the ledger adds to each request. On these shared
/// VMs it moves with the machine's speed as req/s does (a slow spell makes every request cost more CPU time), so judge
/// it, too, by pairs.
/// </summary>
internal static partial class LedgerThroughputScenario
{
    private const string Key = "bench-key-0123456789abcdef";

    public static async Task<string> RunAsync(string dir, int pairs = 5, int seconds = 10)
    {
        if (!File.Exists(BuiltWebApp.Dll) || !File.Exists("/usr/bin/wrk"))
        {
            return "skipped: needs the Release web build and /usr/bin/wrk";
        }

        var data = new DataDirectory(dir);
        await ApiLoadScenario.TrainOneAsync(data);
        await ShadowOverheadScenario.ServeNewestAsync(data);
        var script = await ApiLoadScenario.ScoringScriptAsync(dir);
        var (ratios, onP99, offP99, cpuRatios) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var pair = 0; pair < pairs; pair++)
        {
            var on = await MeasureAsync(data, script, enabled: true, seconds);
            var off = await MeasureAsync(data, script, enabled: false, seconds);
            ratios.Add(on.Run.RequestsPerSecond / off.Run.RequestsPerSecond);
            onP99.Add(on.Run.P99Ms);
            offP99.Add(off.Run.P99Ms);
            cpuRatios.Add(off.CpuMicrosPerRequest / on.CpuMicrosPerRequest);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pair {pair + 1}: on {on.Run.RequestsPerSecond:N0} req/s p99 {on.Run.P99Ms:F2} ms, {on.CpuMicrosPerRequest:F1} µs CPU/request ({on.Counts}); off {off.Run.RequestsPerSecond:N0} req/s p99 {off.Run.P99Ms:F2} ms, {off.CpuMicrosPerRequest:F1} µs CPU/request; req/s ratio {ratios[^1]:F3}, CPU off/on {cpuRatios[^1]:F3}"));
        }

        ratios.Sort();
        onP99.Sort();
        offP99.Sort();
        cpuRatios.Sort();
        return string.Create(CultureInfo.InvariantCulture,
            $"on/off req/s ratio min {ratios[0]:F3} median {ratios[ratios.Count / 2]:F3} max {ratios[^1]:F3}; CPU per request off/on min {cpuRatios[0]:F3} median {cpuRatios[pairs / 2]:F3} max {cpuRatios[^1]:F3}; p99 median on {onP99[pairs / 2]:F2} ms, off {offP99[pairs / 2]:F2} ms");
    }

    private static async Task<(ApiLoadScenario.WrkRun Run, double CpuMicrosPerRequest, string Counts)> MeasureAsync(DataDirectory data, string script, bool enabled, int seconds)
    {
        var before = enabled ? await StoredAsync(data) : 0;
        var environment = new Dictionary<string, string>
        {
            ["LYNQ_API_KEYS"] = Key,
            ["Lynq__Scoring__PermitsPerMinute"] = "10000000",
            ["Lynq__Monitoring__Ledger__Enabled"] = enabled ? "true" : "false",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        ApiLoadScenario.WrkRun run;
        string metrics;
        double cpuPerRequest;
        await using (var web = await BuiltWebApp.StartAsync(data.Root, environment, health => health.Contains("\"model_loaded\":true", StringComparison.Ordinal)))
        {
            await ApiLoadScenario.RunWrkAsync(script, web.Port, "/api/ml/credit-score", seconds: 10);
            await WrittenAsync(web, enabled);
            var (requests0, cpu0) = (ScoringRequests(await web.Client.GetStringAsync("/metrics")), CpuSeconds(web.ProcessId));
            run = await ApiLoadScenario.RunWrkAsync(script, web.Port, "/api/ml/credit-score", seconds);
            metrics = await WrittenAsync(web, enabled);
            cpuPerRequest = (CpuSeconds(web.ProcessId) - cpu0) * 1e6 / (ScoringRequests(metrics) - requests0);
            if (!await web.StopAsync(TimeSpan.FromSeconds(60)))
            {
                throw new InvalidOperationException("The app did not stop within 60 s of SIGTERM.");
            }
        }

        if (!enabled)
        {
            return (run, cpuPerRequest, "ledger off");
        }

        var stored = await StoredAsync(data) - before;
        return (run, cpuPerRequest, string.Create(CultureInfo.InvariantCulture,
            $"recorded {Metric(metrics, "lynq_ledger_recorded_total"):N0}, written {Metric(metrics, "lynq_ledger_written_total"):N0} at the scrape, dropped {Metric(metrics, "lynq_ledger_dropped_total"):N0}, stored after stop {stored:N0}"));
    }


    // Waits until the ledger has nothing pending (at most 30 s), so the writer's work is counted with the load that made it.
    private static async Task<string> WrittenAsync(BuiltWebApp web, bool enabled)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var metrics = await web.Client.GetStringAsync("/metrics");
            if (!enabled || Metric(metrics, "lynq_ledger_pending") == 0 || DateTime.UtcNow > deadline)
            {
                return metrics;
            }

            await Task.Delay(100);
        }
    }

    // utime + stime of the process, fields 14 and 15 of /proc/PID/stat (after the parenthesised name), in clock ticks of 1/100 s.
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static double ScoringRequests(string metrics) =>
        ScoringRequestLine().Matches(metrics).Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    private static double Metric(string metrics, string name) =>
        MetricLine().Matches(metrics).Where(m => m.Groups[1].Value == name).Select(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).FirstOrDefault(double.NaN);

    private static async Task<long> StoredAsync(DataDirectory data)
    {
        await using var connection = new SqliteConnection($"Data Source={data.RegistryDatabase};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM decisions";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [GeneratedRegex(@"^(lynq_ledger_\w+) ([0-9.eE+\-]+)$", RegexOptions.Multiline)]
    private static partial Regex MetricLine();

    [GeneratedRegex(@"^lynq_scoring_requests_total\{[^}]*\} ([0-9.eE+\-]+)$", RegexOptions.Multiline)]
    private static partial Regex ScoringRequestLine();
}

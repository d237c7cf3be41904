using System.Diagnostics;
using System.Globalization;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;

namespace LynqDashboard.Benchmarks;

/// <summary>Whole-run measurements against the issue's targets: wall time and peak resident memory.</summary>
internal static class Scenarios
{
    private static readonly (string Name, string Target, Func<string, Task<string>> Run)[] All =
    [
        ("e2e-100k", "≤ 2 s (Python 4.2 s)", dir => EndToEndAsync(dir, 100_000)),
        ("train-100k", "≤ 1.6 s (XGBoost 1.6 s)", dir => TrainOnlyAsync(dir, 100_000)),
        ("e2e-1m", "≤ 20 s, ≤ 1.5 GB", dir => EndToEndAsync(dir, 1_000_000)),
        ("csv-10m", "≤ 15 s, ≤ 300 MB (Python 155 s, 6 GB)", dir => CsvAsync(dir, 10_000_000)),
        ("web-1000", "pages ≤ 200 ms server time, idle ≤ 250 MB", WebScenario.RunAsync),
        ("api-load", "≥ 3,000 req/s, p99 ≤ 10 ms, 0 errors; batch 10,000 ≤ 200 ms", ApiLoadScenario.RunAsync),
        ("api-vs-health", "scoring ≥ 0.6× the req/s of GET /health on the same app, p99 ≤ 5 ms", dir => ApiLoadScenario.AgainstHealthAsync(dir)),
        ("ledger-throughput", "scoring with the decision ledger ≥ 0.90× the req/s without it", dir => LedgerThroughputScenario.RunAsync(dir)),
        ("shadow-overhead", "a shadow version raises production's p99 by ≤ 1 ms", dir => ShadowOverheadScenario.RunAsync(dir)),
    ];

    public static async Task<int> RunAllAsync(string[] names)
    {
        var chosen = names.Length == 0 ? All : All.Where(s => names.Contains(s.Name)).ToArray();
        Console.WriteLine($"{"scenario",-12} {"seconds",8} {"peak MB",8}  target / detail");
        foreach (var scenario in chosen)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
            foreach (var arg in Environment.GetCommandLineArgs()[0].EndsWith(".dll", StringComparison.Ordinal) ? [Environment.GetCommandLineArgs()[0]] : Array.Empty<string>())
            {
                start.ArgumentList.Add(arg);
            }

            start.ArgumentList.Add("scenario");
            start.ArgumentList.Add(scenario.Name);
            using var child = Process.Start(start)!;
            var line = (await child.StandardOutput.ReadToEndAsync()).Trim();
            await child.WaitForExitAsync();
            Console.WriteLine($"{line}  [{scenario.Target}]");
        }

        return 0;
    }

    public static async Task<int> RunOneAsync(string name)
    {
        var scenario = All.Single(s => s.Name == name);
        var dir = Path.Combine(Path.GetTempPath(), "lynq-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            await WarmUpAsync(dir);
            var clock = Stopwatch.StartNew();
            var detail = await scenario.Run(dir);
            var seconds = clock.Elapsed.TotalSeconds;
            using var self = Process.GetCurrentProcess();
            self.Refresh();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-12} {seconds,8:F2} {self.PeakWorkingSet64 / 1048576.0,8:F0}  {detail}"));
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // JIT and the generator's one-time calibration are paid once per process, as in a running dashboard.
    private static async Task WarmUpAsync(string dir)
    {
        var csv = Path.Combine(dir, "warm.csv");
        await DatasetFiles.GenerateAsync(new DatasetParameters(2_000, 1), csv);
        new ModelTrainer().Train(DatasetCsvReader.Read(csv), new TrainingParameters(Trees: 2, Leaves: 4));
        File.Delete(csv);
        File.Delete(DatasetManifest.PathFor(csv));
    }

    private static async Task<string> EndToEndAsync(string dir, int rows)
    {
        var csv = Path.Combine(dir, "data.csv");
        await DatasetFiles.GenerateAsync(new DatasetParameters(rows, 42), csv);
        var outcome = await TrainingPipeline.RunAsync(new TrainingRequest(csv, Path.Combine(dir, "v1"), "1", "bench", new TrainingParameters()));
        var s = outcome.Model.StageSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"generate+train+evaluate+save; AUC {outcome.Model.Metrics.RocAuc:F4}; fit {s.GetValueOrDefault("training"):F2} s, calibrate {s.GetValueOrDefault("calibrating"):F2} s, evaluate {s.GetValueOrDefault("evaluating"):F2} s");
    }

    private static async Task<string> TrainOnlyAsync(string dir, int rows)
    {
        var data = LoanDataset.From(new DatasetGenerator(new DatasetParameters(rows, 42)).Rows().ToList());
        var clock = Stopwatch.StartNew();
        var model = new ModelTrainer().Train(data, new TrainingParameters());
        await Task.CompletedTask;
        return string.Create(CultureInfo.InvariantCulture,
            $"ModelTrainer.Train alone {clock.Elapsed.TotalSeconds:F2} s (of which the FastTree fit {model.StageSeconds.GetValueOrDefault("training"):F2} s; generation excluded)");
    }

    private static async Task<string> CsvAsync(string dir, int rows)
    {
        var manifest = await DatasetFiles.GenerateAsync(new DatasetParameters(rows, 42), Path.Combine(dir, "big.csv"));
        return string.Create(CultureInfo.InvariantCulture, $"{manifest.SizeBytes / 1048576.0:F0} MB written, sha256 {manifest.Sha256[..12]}…");
    }
}

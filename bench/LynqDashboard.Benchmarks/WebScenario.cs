using System.Diagnostics;
using System.Globalization;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Infrastructure;
using LynqDashboard.Infrastructure.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Benchmarks;

/// <summary>
/// The dashboard with 1,000 versions in its registry, run as the real built app: server render time of the
/// Overview and Models pages, a sorted registry page, and the idle process's memory.
/// Needs `dotnet build -c Release src/LynqDashboard.Web` first.
/// </summary>
internal static class WebScenario
{
    public static async Task<string> RunAsync(string dir)
    {
        var dll = Path.Combine(Repository.Root(), "src", "LynqDashboard.Web", "bin", "Release", "net10.0", "LynqDashboard.Web.dll");
        if (!File.Exists(dll))
        {
            return $"skipped: build the web app first (dotnet build -c Release src/LynqDashboard.Web); {dll} is missing";
        }

        var data = new DataDirectory(dir);
        data.EnsureCreated();
        var queryMs = await SeedAsync(data);

        var port = Repository.FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["LYNQ_DATA_DIR"] = dir;
        using var web = Process.Start(start)!;
        web.OutputDataReceived += (_, _) => { };
        web.ErrorDataReceived += (_, _) => { };
        web.BeginOutputReadLine();
        web.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var up = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException) when (up.Elapsed < TimeSpan.FromSeconds(30))
                {
                    await Task.Delay(50);
                }
            }

            var firstHealth = up.Elapsed.TotalSeconds;
            var overview = await TimeAsync(http, "/");
            var models = await TimeAsync(http, "/models");
            await Task.Delay(TimeSpan.FromSeconds(5));
            var rss = File.ReadLines($"/proc/{web.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return string.Create(CultureInfo.InvariantCulture,
                $"1,000 versions: GET / median {overview.Median:F0} ms (p95 {overview.P95:F0}), GET /models median {models.Median:F0} ms (p95 {models.P95:F0}), sorted grid page {queryMs:F1} ms, idle RSS {long.Parse(rss, CultureInfo.InvariantCulture) / 1024} MB, first /health after {firstHealth:F1} s");
        }
        finally
        {
            web.Kill(entireProcessTree: true);
            await web.WaitForExitAsync();
        }
    }

    private static async Task<double> SeedAsync(DataDirectory data)
    {
        await using var services = new ServiceCollection().AddLynqInfrastructure(data.RegistryDatabase).BuildServiceProvider();
        await RegistryDatabase.MigrateAsync(services.GetRequiredService<IDbContextFactory<RegistryDbContext>>());
        var registry = services.GetRequiredService<IModelRegistry>();
        var dataset = await registry.AddDatasetAsync(new DatasetRecord { Name = "bench", Status = DatasetStatus.Ready, RowCount = 50_000 });
        for (var i = 0; i < 1_000; i++)
        {
            await registry.AddVersionAsync(new ModelVersionRecord
            {
                DatasetId = dataset.Id,
                Parameters = new TrainingParameters(),
                Status = VersionStatus.Ready,
                RocAuc = 0.75 + (i % 97 / 1000.0),
                Ks = 0.4,
                Brier = 0.06,
                CalibrationError = 0.005,
                Tags = i % 10 == 0 ? "benchmark" : string.Empty,
            });
        }

        await registry.QueryVersionsAsync(new VersionQuery(SortBy: "roc_auc", Take: 25));
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            await registry.QueryVersionsAsync(new VersionQuery(SortBy: "roc_auc", Skip: i * 25, Take: 25));
        }

        return clock.Elapsed.TotalMilliseconds / 20;
    }

    private static async Task<(double Median, double P95)> TimeAsync(HttpClient http, string path)
    {
        for (var i = 0; i < 3; i++)
        {
            (await http.GetAsync(path)).EnsureSuccessStatusCode();
        }

        var samples = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            (await http.GetAsync(path)).EnsureSuccessStatusCode();
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        return (samples[samples.Count / 2], samples[(int)(samples.Count * 0.95)]);
    }
}

using LynqDashboard.Tests.Shared;
using System.Diagnostics;
using System.Globalization;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Infrastructure;
using LynqDashboard.Infrastructure.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using LynqDashboard.Core.Storage;

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
        if (!File.Exists(BuiltWebApp.Dll))
        {
            return $"skipped: build the web app first (dotnet build -c Release src/LynqDashboard.Web); {BuiltWebApp.Dll} is missing";
        }

        var data = new DataDirectory(dir);
        data.EnsureCreated();
        var queryMs = await SeedAsync(data);
        const string email = "bench@lynq.test", password = "Bench-Password-2026";
        await using var web = await BuiltWebApp.StartAsync(dir, new Dictionary<string, string> { ["LYNQ_ADMIN_EMAIL"] = email, ["LYNQ_ADMIN_PASSWORD"] = password });
        using var http = await web.SignedInClientAsync(email, password);
        var firstHealth = web.StartupSeconds;
        var overview = await TimeAsync(http, "/");
        var models = await TimeAsync(http, "/models");
        await Task.Delay(TimeSpan.FromSeconds(5));
        var rss = File.ReadLines($"/proc/{web.ProcessId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return string.Create(CultureInfo.InvariantCulture,
            $"1,000 versions: GET / median {overview.Median:F0} ms (p95 {overview.P95:F0}), GET /models median {models.Median:F0} ms (p95 {models.P95:F0}), sorted grid page {queryMs:F1} ms, idle RSS {long.Parse(rss, CultureInfo.InvariantCulture) / 1024} MB, first /health after {firstHealth:F1} s");
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
            var warm = await http.GetAsync(path);
            if (warm.StatusCode != System.Net.HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {path} answered {(int)warm.StatusCode}, not the page: the timings would measure something else.");
            }
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

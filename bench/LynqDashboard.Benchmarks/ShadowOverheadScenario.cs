using System.Globalization;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Storage;
using LynqDashboard.Infrastructure;
using LynqDashboard.Tests.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Benchmarks;

/// <summary>
/// What a shadow costs production: the built app on one data folder with two trained versions (the newer serving, the
/// older Ready), started with and without the older one in shadow in turns, wrk on POST /api/ml/credit-score each time
/// (ledger on in both); prints req/s and p99 per run, the p99 difference (shadow − none) per pair and its median, and
/// how many decisions of each "shadow" run carry a shadow answer. Target: p99 rises by at most 1 ms.
/// </summary>
internal static class ShadowOverheadScenario
{
    private const string Key = "bench-key-0123456789abcdef";

    public static async Task<string> RunAsync(string dir, int pairs = 3, int seconds = 10)
    {
        if (!File.Exists(BuiltWebApp.Dll) || !File.Exists("/usr/bin/wrk"))
        {
            return "skipped: needs the Release web build and /usr/bin/wrk";
        }

        var data = new DataDirectory(dir);
        await ApiLoadScenario.TrainOneAsync(data);
        await ApiLoadScenario.TrainOneAsync(data);
        var (production, previous) = await ServeNewestAsync(data);
        var shadow = previous!.Value;
        var script = await ApiLoadScenario.ScoringScriptAsync(dir);
        var (differences, shadowP99, plainP99, ratios) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var pair = 0; pair < pairs; pair++)
        {
            var (with, shadowed) = await MeasureAsync(data, script, shadow, seconds);
            var (without, _) = await MeasureAsync(data, script, null, seconds);
            differences.Add(with.P99Ms - without.P99Ms);
            shadowP99.Add(with.P99Ms);
            plainP99.Add(without.P99Ms);
            ratios.Add(with.RequestsPerSecond / without.RequestsPerSecond);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pair {pair + 1}: shadow v{shadow} {with.RequestsPerSecond:N0} req/s p99 {with.P99Ms:F2} ms ({shadowed:N0} decisions with a shadow answer); none {without.RequestsPerSecond:N0} req/s p99 {without.P99Ms:F2} ms; p99 +{differences[^1]:F2} ms"));
        }

        differences.Sort();
        ratios.Sort();
        shadowP99.Sort();
        plainP99.Sort();
        return string.Create(CultureInfo.InvariantCulture,
            $"production v{production}, shadow v{shadow}: p99 shadow − none min {differences[0]:F2} median {differences[pairs / 2]:F2} max {differences[^1]:F2} ms (median p99 {shadowP99[pairs / 2]:F2} vs {plainP99[pairs / 2]:F2} ms); req/s ratio median {ratios[pairs / 2]:F3}");
    }

    private static async Task<(ApiLoadScenario.WrkRun Run, long Shadowed)> MeasureAsync(DataDirectory data, string script, int? shadow, int seconds)
    {
        await SetShadowAsync(data, shadow);
        var before = await ShadowedAsync(data);
        var environment = new Dictionary<string, string>
        {
            ["LYNQ_API_KEYS"] = Key,
            ["Lynq__Scoring__PermitsPerMinute"] = "10000000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        ApiLoadScenario.WrkRun run;
        await using (var web = await BuiltWebApp.StartAsync(data.Root, environment, health => health.Contains("\"model_loaded\":true", StringComparison.Ordinal)))
        {
            await Task.Delay(2_000); // the shadow loads at start, off the request path
            await ApiLoadScenario.RunWrkAsync(script, web.Port, "/api/ml/credit-score", seconds: 10);
            run = await ApiLoadScenario.RunWrkAsync(script, web.Port, "/api/ml/credit-score", seconds);
        }

        return (run, await ShadowedAsync(data) - before);
    }

    /// <summary>
    /// Makes the newest version production (only a production version serves; the four-eyes promotion is not what the
    /// benches measure) and returns its number and the one before it (null when there is none).
    /// </summary>
    internal static async Task<(int Production, int? Previous)> ServeNewestAsync(DataDirectory data)
    {
        await using var services = new ServiceCollection().AddLynqInfrastructure(data.RegistryDatabase).BuildServiceProvider();
        var registry = services.GetRequiredService<IModelRegistry>();
        var versions = (await registry.QueryVersionsAsync(new VersionQuery(Take: 2))).Items.OrderByDescending(v => v.Number).ToList();
        await registry.UpdateVersionAsync(versions[0].Id, v => v.Status = VersionStatus.Production);
        return (versions[0].Number, versions.Count > 1 ? versions[1].Number : null);
    }

    // What an Approver's "Put in shadow" stores (Web/Challengers/ChallengerCommands), written here so each run starts with or without it.
    private static async Task SetShadowAsync(DataDirectory data, int? version)
    {
        await using var services = new ServiceCollection().AddLynqInfrastructure(data.RegistryDatabase).BuildServiceProvider();
        await services.GetRequiredService<IMonitoringStore>().SaveSettingAsync(new StoredSetting
        {
            Key = "challengers.shadow",
            Value = version is { } n ? $"{{\"version\":{n},\"set_by\":\"bench\",\"set_at\":\"2026-12-01T00:00:00+00:00\"}}" : string.Empty,
            UpdatedBy = "bench",
            UpdatedAt = DateTimeOffset.UtcNow,
        });
    }

    private static async Task<long> ShadowedAsync(DataDirectory data)
    {
        await using var connection = new SqliteConnection($"Data Source={data.RegistryDatabase};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM decisions WHERE shadow_version IS NOT NULL";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

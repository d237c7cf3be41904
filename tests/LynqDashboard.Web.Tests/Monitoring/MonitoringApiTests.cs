using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Hangfire.Storage;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Registry;
using LynqDashboard.Web.Monitoring;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Monitoring;

/// <summary>Monitoring through the real app: SQLite registry file, real Hangfire, decisions in an in-memory ledger double.</summary>
[Collection(AppHostCollection.Name)]
public sealed class MonitoringApiTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Schedule_BadCronIs422NamingCron_AGoodOneIsAuditedRegisteredAndSurvivesARestart()
    {
        var data = Path.Combine(Path.GetTempPath(), "lynq-web-tests", Guid.NewGuid().ToString("N"));
        var cancel = TestContext.Current.CancellationToken;
        await using (var first = new DashboardFactory { DataDirectoryOverride = data, KeepData = true })
        {
            using var admin = await ApiClientAsync(first, LynqRoles.Admin);
            Assert.Equal("0 * * * *", (await admin.GetFromJsonAsync<JsonElement>("/api/dashboard/monitoring/schedule", cancel)).GetProperty("cron").GetString());

            using var bad = await admin.PutAsJsonAsync("/api/dashboard/monitoring/schedule", new { cron = "every hour" }, cancel);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
            var problem = await bad.Content.ReadFromJsonAsync<JsonElement>(cancel);
            Assert.Contains("field", problem.GetProperty("errors").GetProperty("cron")[0].GetString(), StringComparison.Ordinal);

            using var trainer = await ApiClientAsync(first, LynqRoles.Trainer);
            Assert.Equal(HttpStatusCode.Forbidden, (await trainer.PutAsJsonAsync("/api/dashboard/monitoring/schedule", new { cron = "*/5 * * * *" }, cancel)).StatusCode);

            using var set = await admin.PutAsJsonAsync("/api/dashboard/monitoring/schedule", new { cron = "15 */2 * * *" }, cancel);
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
            var view = await set.Content.ReadFromJsonAsync<JsonElement>(cancel);
            var next = view.GetProperty("next_run").GetDateTimeOffset();
            Assert.Equal(15, next.UtcDateTime.Minute);
            Assert.Equal(0, next.UtcDateTime.Hour % 2);
            Assert.Equal(DashboardFactory.AdminEmail, view.GetProperty("changed_by").GetString());
            var audit = await first.Services.GetRequiredService<IAuditLog>().ListAsync(0, 20, cancel);
            Assert.Contains(audit, e => e.Action == "monitoring.schedule_changed" && e.Actor == DashboardFactory.AdminEmail && e.Detail.Contains("15 */2 * * *", StringComparison.Ordinal));
            Assert.Equal("15 */2 * * *", RecurringCron(first));
        }

        await using var second = new DashboardFactory { DataDirectoryOverride = data };
        using var viewer = await ApiClientAsync(second, LynqRoles.Viewer);
        var again = await viewer.GetFromJsonAsync<JsonElement>("/api/dashboard/monitoring/schedule", cancel);
        Assert.Equal("15 */2 * * *", again.GetProperty("cron").GetString());
        Assert.Equal("15 */2 * * *", RecurringCron(second));
    }

    [Fact]
    public async Task Run_ServedVersion_StoresBinsAtTrainingFlagsDriftInSnapshotGaugesAndNotices()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var app = new DashboardFactory();
        var version = await ServedVersion.TrainAndServeAsync(app.Services);
        var ledger = app.Services.GetRequiredService<IDecisionStore>();

        // Stored when the training finished, before any snapshot asked for them.
        var baseline = await app.Services.GetRequiredService<IMonitoringStore>().GetBaselineAsync(version.Number, cancel);
        Assert.NotNull(baseline);
        Assert.Equal(LoanFeatures.Count, baseline.Features.Count);

        using var viewer = await ApiClientAsync(app, LynqRoles.Viewer);
        using var none = await viewer.GetAsync($"/api/dashboard/monitoring/{version.Number}", cancel);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Contains("no monitoring snapshot", await none.Content.ReadAsStringAsync(cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/dashboard/monitoring/run?version={version.Number}", null, cancel)).StatusCode);

        var folder = await app.Services.GetRequiredService<IArtifactStore>().VersionFolderAsync(version, cancel);
        var rows = ModelArtifacts.ReadTestPredictions(folder);
        await ledger.AppendAsync(Decisions(version.Number, rows, walletAgeFactor: 1), cancel);
        var random = new Random(5);
        await ledger.RecordOutcomesAsync([.. Enumerable.Range(0, rows.Count).Select(i => new OutcomeSubmission($"r{i}", random.NextDouble() < rows.Probabilities[i], DateTimeOffset.UtcNow))], "test", cancel);

        using var trainer = await ApiClientAsync(app, LynqRoles.Trainer);
        var steady = Assert.Single(await RunAsync(trainer, version.Number));
        Assert.Equal(rows.Count, steady.GetProperty("decisions").GetInt64());
        Assert.InRange(steady.GetProperty("score_psi").GetDouble(), 0, 0.05);
        Assert.Equal("green", steady.GetProperty("score_light").GetString());
        Assert.Empty(steady.GetProperty("alerts").EnumerateArray());
        Assert.True(steady.GetProperty("vintages").GetArrayLength() >= 1);
        Assert.Equal(rows.Count, steady.GetProperty("with_outcome").GetInt64());
        var metrics = await viewer.GetStringAsync("/metrics", cancel);
        Assert.Contains($"lynq_monitor_psi{{version=\"{version.Number}\",feature=\"score\"}}", metrics, StringComparison.Ordinal);
        Assert.Contains($"lynq_monitor_alerts{{version=\"{version.Number}\",kind=\"psi\"}} 0", metrics, StringComparison.Ordinal);

        await ledger.PruneAsync(DateTimeOffset.UtcNow.AddDays(1), cancel); // the steady decisions and their outcomes go
        await ledger.AppendAsync(Decisions(version.Number, rows, walletAgeFactor: 0.2), cancel);
        var drifted = Assert.Single(await RunAsync(trainer, version.Number));
        var walletAge = LoanFeatures.Names[0];
        Assert.True(drifted.GetProperty("feature_csi").GetProperty(walletAge).GetDouble() >= 0.25);
        Assert.Contains(drifted.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("kind").GetString() == "psi" && a.GetProperty("feature").GetString() == walletAge);

        var latest = await viewer.GetFromJsonAsync<JsonElement>($"/api/dashboard/monitoring/{version.Number}", cancel);
        Assert.Equal(drifted.GetProperty("id").GetGuid(), latest.GetProperty("id").GetGuid());
        var history = await viewer.GetFromJsonAsync<JsonElement>($"/api/dashboard/monitoring/{version.Number}/history?take=5", cancel);
        Assert.Equal([drifted.GetProperty("id").GetGuid(), steady.GetProperty("id").GetGuid()], history.EnumerateArray().Select(s => s.GetProperty("id").GetGuid()));
        Assert.Matches($"lynq_monitor_alerts\\{{version=\"{version.Number}\",kind=\"psi\"\\}} [1-9]", await viewer.GetStringAsync("/metrics", cancel));
        Assert.Contains(app.Services.GetRequiredService<MonitoringNotices>().Current, n => n.VersionNumber == version.Number && n.Alert.Feature == walletAge);

        // The scheduled job runs every serving version: production here (the fallback decided nothing).
        app.Services.GetRequiredService<IRecurringJobManager>().Trigger(MonitoringSnapshotJob.RecurringId);
        var store = app.Services.GetRequiredService<IMonitoringStore>();
        var byJob = await Eventually.WaitForAsync<IReadOnlyList<MonitoringSnapshot>>(async () => await store.ListSnapshotsAsync(version.Number, 10, cancel), s => s.Count == 3, TimeSpan.FromSeconds(30), "the scheduled snapshot");
        Assert.Equal(rows.Count, byJob[0].Decisions);
        Assert.Null(await store.LatestSnapshotAsync(null, cancel));
    }

    private static async Task<List<JsonElement>> RunAsync(HttpClient trainer, int version)
    {
        using var response = await trainer.PostAsync($"/api/dashboard/monitoring/run?version={version}", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).EnumerateArray()];
    }

    // The version's own stored test rows as live decisions over the last day, wallets optionally made younger.
    private static List<DecisionRecord> Decisions(int version, TestPredictions rows, double walletAgeFactor)
    {
        var now = DateTimeOffset.UtcNow;
        return [.. Enumerable.Range(0, rows.Count).Select(i =>
        {
            var features = new byte[LoanFeatures.Count * sizeof(double)];
            var row = rows.Row(i);
            for (var f = 0; f < LoanFeatures.Count; f++)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(features.AsSpan(f * sizeof(double)), f == 0 ? Math.Floor(row[f] * walletAgeFactor) : row[f]);
            }

            return new DecisionRecord
            {
                At = now.AddSeconds(-86_400 + (i * 80_000.0 / rows.Count)), RequestId = $"r{i}", Channel = DecisionChannels.Simulator, Caller = "test",
                ModelVersion = version.ToString(System.Globalization.CultureInfo.InvariantCulture), ModelNumber = version, ModelSha256 = "x", PolicyVersion = 1,
                Features = features, DefaultProbability = rows.Probabilities[i], CreditScore = 500, RiskLevel = "LOW", Action = "APPROVE", DecisionReason = "test",
                ReasonCodes = string.Empty, ReasonCatalogueVersion = "1", IsFallback = false,
            };
        })];
    }

    private static string? RecurringCron(DashboardFactory app)
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs().SingleOrDefault(j => j.Id == MonitoringSnapshotJob.RecurringId)?.Cron;
    }

    private static async Task<HttpClient> ApiClientAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app, string role)
    {
        var client = await DashboardFactory.SignedInClientAsync(app, role);
        var token = await client.GetFromJsonAsync<JsonElement>("/api/dashboard/antiforgery", Json, TestContext.Current.CancellationToken);
        client.DefaultRequestHeaders.Add("X-XSRF-TOKEN", token.GetProperty("token").GetString());
        return client;
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsCheck;
using Hangfire;
using Hangfire.Storage;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Retraining;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Retraining;

/// <summary>The schedule endpoints through the real app over HTTP: roles, 404s, 422s naming fields, a run on the retraining queue, pause across a restart.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ScheduleEndpointTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Post_AsViewer_IsForbidden_ButViewerMayList()
    {
        await using var app = new DashboardFactory();
        using var viewer = await ApiClientAsync(app, LynqRoles.Viewer);

        using var post = await viewer.PostAsJsonAsync("/api/dashboard/schedules", new { name = "nightly", cron = "0 2 * * *" }, Json, Ct);
        using var list = await viewer.GetAsync("/api/dashboard/schedules", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Empty(await list.Content.ReadFromJsonAsync<JsonElement[]>(Json, Ct) ?? []);
    }

    [Fact]
    public async Task Post_BadFields_Are422NamingEachField()
    {
        await using var app = new DashboardFactory();
        using var trainer = await ApiClientAsync(app, LynqRoles.Trainer);

        var bad = await ErrorsAsync(await trainer.PostAsJsonAsync("/api/dashboard/schedules", new { name = "nightly", cron = "0 2 * *", time_zone = "Nowhere/Land", training = new { trees = 0 } }, Json, Ct));
        var wrongType = await ErrorsAsync(await trainer.PostAsync("/api/dashboard/schedules", new StringContent("{\"name\": \"n\", \"cron\": \"0 2 * * *\", \"rows\": \"many\"}", Encoding.UTF8, "application/json"), Ct));
        var empty = await ErrorsAsync(await trainer.PostAsync("/api/dashboard/schedules", new StringContent(string.Empty, Encoding.UTF8, "application/json"), Ct));

        Assert.Equal(["cron", "time_zone", "training.trees"], bad.Order());
        Assert.Equal(["rows"], wrongType);
        Assert.Equal(["body"], empty);
    }

    [Fact]
    public async Task UnknownSchedule_Is404_ForRunsPauseResumeAndRun()
    {
        await using var app = new DashboardFactory();
        using var trainer = await ApiClientAsync(app, LynqRoles.Trainer);
        var id = Guid.NewGuid();

        Assert.Equal(HttpStatusCode.NotFound, (await trainer.GetAsync($"/api/dashboard/schedules/{id}/runs", Ct)).StatusCode);
        foreach (var action in new[] { "pause", "resume", "run" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await trainer.PostAsync($"/api/dashboard/schedules/{id}/{action}", null, Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task Create_Pause_RunNow_ShowsInTheListAndRunsOnTheRetrainingQueue()
    {
        await using var app = new DashboardFactory();
        using var trainer = await ApiClientAsync(app, LynqRoles.Trainer);

        using var created = await trainer.PostAsJsonAsync("/api/dashboard/schedules", new { name = "nightly", cron = "0 2 * * *", time_zone = "Europe/Berlin", source = "newest_dataset" }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var schedule = await created.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        var id = schedule.GetProperty("id").GetGuid();
        Assert.Equal("trainer@lynq.test", schedule.GetProperty("created_by").GetString());
        Assert.Equal(0, schedule.GetProperty("next_run_at").GetDateTimeOffset().Minute);

        using var paused = await trainer.PostAsync($"/api/dashboard/schedules/{id}/pause", null, Ct);
        Assert.True((await paused.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("paused").GetBoolean());
        using var run = await trainer.PostAsJsonAsync($"/api/dashboard/schedules/{id}/run", new { trees = 20 }, Json, Ct);
        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        Assert.False(string.IsNullOrEmpty((await run.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("job_id").GetString()));

        // The run went through the retraining queue's worker and, with no dataset in the registry, failed saying so.
        var runs = await Eventually.WaitForAsync(
            () => trainer.GetFromJsonAsync<JsonElement[]>($"/api/dashboard/schedules/{id}/runs", Json, Ct),
            r => r.Length == 1 && r[0].GetProperty("outcome").GetString() != "running", TimeSpan.FromSeconds(30), "the manual run to finish");
        Assert.Equal(("failed", "manual by trainer@lynq.test"), (runs[0].GetProperty("outcome").GetString(), runs[0].GetProperty("trigger").GetString()));
        Assert.Contains("no ready dataset", runs[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
        var listed = Assert.Single(await trainer.GetFromJsonAsync<JsonElement[]>("/api/dashboard/schedules", Json, Ct) ?? []);
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("next_run_at").ValueKind);
        Assert.Equal(1, listed.GetProperty("last_run").GetProperty("number").GetInt32());
    }

    [Fact]
    public async Task Pause_SurvivesANewAppHostOnTheSameDatabase()
    {
        var data = Path.Combine(Path.GetTempPath(), "lynq-web-tests", Guid.NewGuid().ToString("N"));
        Guid paused, running;
        await using (var first = new DashboardFactory { DataDirectoryOverride = data, KeepData = true })
        {
            using var trainer = await ApiClientAsync(first, LynqRoles.Trainer);
            paused = await CreateAsync(trainer, "paused one");
            running = await CreateAsync(trainer, "running one");
            (await trainer.PostAsync($"/api/dashboard/schedules/{paused}/pause", null, Ct)).EnsureSuccessStatusCode();
            Assert.Equal(["running one"], RecurringNames(first));
        }

        // Hangfire's in-memory storage went with the first host: the start-up sync rebuilt the jobs from the records.
        await using var second = new DashboardFactory { DataDirectoryOverride = data };
        using var viewer = await ApiClientAsync(second, LynqRoles.Viewer);
        var schedules = await viewer.GetFromJsonAsync<JsonElement[]>("/api/dashboard/schedules", Json, Ct) ?? [];

        var byId = schedules.ToDictionary(s => s.GetProperty("id").GetGuid());
        Assert.True(byId[paused].GetProperty("paused").GetBoolean());
        Assert.Equal(JsonValueKind.Null, byId[paused].GetProperty("next_run_at").ValueKind);
        Assert.False(byId[running].GetProperty("paused").GetBoolean());
        Assert.Equal(["running one"], RecurringNames(second));
    }

    [Fact]
    public async Task Post_AnyJsonObject_Is201Or422_Never500_AndA422StoresNothing()
    {
        await using var app = new DashboardFactory();
        using var trainer = await ApiClientAsync(app, LynqRoles.Trainer);
        var store = app.Services.GetRequiredService<IRetrainingStore>();
        var statuses = new Dictionary<HttpStatusCode, int>();

        await BodyGen.SampleAsync(async body =>
        {
            var before = (await store.ListSchedulesAsync(Ct)).Count;
            using var response = await trainer.PostAsync("/api/dashboard/schedules", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode} for {body}: {text}");
            var after = (await store.ListSchedulesAsync(Ct)).Count;
            if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
            {
                Assert.Equal(before, after);
                Assert.NotEmpty(JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject());
            }
            else
            {
                Assert.Equal(before + 1, after);
            }
        }, iter: 300, threads: 1);

        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.Created) > 0, "no generated body was a valid schedule");
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.UnprocessableEntity) > 0, "no generated body was refused");
    }

    // A JSON object of the draft's fields (and strangers), each absent, of a plausible value, or of any JSON type.
    private static readonly Gen<string> AnyValue = Gen.OneOf(
        Gen.Const("null"), Gen.Bool.Select(b => b ? "true" : "false"), Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "1e400"),
        Gen.String.Select(s => JsonSerializer.Serialize(s)), Gen.Const("[]"), Gen.Const("{\"x\": 1}"), Gen.Const("99999999999999999999"));

    private static readonly (string Key, Gen<string> Plausible)[] Fields =
    [
        ("name", Gen.Const(0).Select(_ => JsonSerializer.Serialize($"schedule {Guid.NewGuid():N}"))),
        ("cron", Pick("\"0 2 * * *\"", "\"*/5 * * * *\"", "\"0 0 30 2 *\"", "\"61 * * * *\"", "\"0 2 * *\"", "\"\"")),
        ("time_zone", Pick("\"UTC\"", "\"Europe/Berlin\"", "\"America/New_York\"", "\"Mars/Base\"", "\"\"")),
        ("source", Pick("\"generate\"", "\"newest_dataset\"", "\"ledger\"", "\"LEDGER\"", "\"csv\"")),
        ("rows", Gen.Int[-10, 60_000_000].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        ("seed", Gen.Long.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        ("default_rate", Gen.Double[-0.1, 0.7].Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture))),
        ("ledger_window_days", Gen.Int[-5, 800].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        ("training", Gen.Int[-5, 6_000].Select(t => $"{{\"trees\": {t}}}")),
        ("on_cron", Gen.Bool.Select(b => b ? "true" : "false")),
        ("on_alert", Gen.Bool.Select(b => b ? "true" : "false")),
        ("stranger", AnyValue),
    ];

    private static readonly Gen<string> MixedBody = Fields
        .Select(f => Gen.Int[0, 9].SelectMany(c => c < 2 ? Gen.Const((string?)null) : (c < 8 ? f.Plausible : AnyValue).Select(v => (string?)$"\"{f.Key}\": {v}")))
        .Aggregate(Gen.Const(string.Empty), (body, field) => body.SelectMany(b => field.Select(p => p is null ? b : b.Length == 0 ? p : $"{b}, {p}")))
        .Select(b => "{" + b + "}");

    // Every field present with a plausible value: mostly valid drafts, so both answers occur in every run, not by luck.
    private static readonly Gen<string> PlausibleBody = Fields
        .Select(f => f.Plausible.Select(v => $"\"{f.Key}\": {v}"))
        .Aggregate(Gen.Const(string.Empty), (body, field) => body.SelectMany(b => field.Select(p => b.Length == 0 ? p : $"{b}, {p}")))
        .Select(b => "{" + b + "}");

    private static readonly Gen<string> BodyGen = Gen.Frequency((3, MixedBody), (1, PlausibleBody));

    private static Gen<string> Pick(params string[] values) => Gen.OneOf([.. values.Select(v => Gen.Const(v))]);

    private static async Task<Guid> CreateAsync(HttpClient client, string name)
    {
        using var response = await client.PostAsJsonAsync("/api/dashboard/schedules", new { name, cron = "0 2 * * *" }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("id").GetGuid();
    }

    private static List<string> RecurringNames(DashboardFactory app)
    {
        var store = app.Services.GetRequiredService<IRetrainingStore>();
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var ids = connection.GetRecurringJobs().Select(j => j.Id).ToHashSet();
        return [.. store.ListSchedulesAsync().GetAwaiter().GetResult().Where(s => ids.Contains(s.RecurringJobId)).Select(s => s.Name)];
    }

    private static async Task<List<string>> ErrorsAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
            return [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name)];
        }
    }

    private static async Task<HttpClient> ApiClientAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app, string role)
    {
        var client = await DashboardFactory.SignedInClientAsync(app, role);
        var token = await client.GetFromJsonAsync<JsonElement>("/api/dashboard/antiforgery", Json, Ct);
        client.DefaultRequestHeaders.Add("X-XSRF-TOKEN", token.GetProperty("token").GetString());
        return client;
    }
}

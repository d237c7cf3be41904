using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3.Model;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Web.Tests.Shared;

namespace LynqDashboard.Web.Tests.ScaleOut;

/// <summary>The servers a scale-out shares: a throwaway PostgreSQL cluster and the local S3 server.</summary>
public sealed class ScaleOutServers : IAsyncLifetime
{
    public PostgresServerFixture Postgres { get; } = new();

    public S3ServerFixture S3 { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(Postgres.InitializeAsync().AsTask(), S3.InitializeAsync().AsTask());
    }

    public async ValueTask DisposeAsync()
    {
        await Postgres.DisposeAsync();
        await S3.DisposeAsync();
    }
}

/// <summary>
/// The same build as separate web, worker and scoring processes over one PostgreSQL database and one bucket, each
/// in its own data folder (as on separate machines): nothing passes between them but the database and S3.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ScaleOutTests(ScaleOutServers servers, ITestOutputHelper output) : IClassFixture<ScaleOutServers>
{
    private const string AdminEmail = "admin@lynq.test";
    private const string AdminPassword = "Scale-Out-Password-2026";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly string _root = Path.Combine(Path.GetTempPath(), "lynq-scale-out", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task WebAndWorker_WorkerKilledMidTraining_AnotherWorkerFinishes_OneReadyVersionAndNoOrphanedArtifacts()
    {
        var cancel = TestContext.Current.CancellationToken;
        var (settings, artifacts) = await SharedStateAsync();
        settings["LYNQ_REQUIRE_SECOND_APPROVER"] = "false";
        await using var web = await StartAsync("web", "Web", settings);
        await using var worker = await StartAsync("worker-1", "Worker", settings);

        // A worker answers /health and /metrics, and nothing of the dashboard or the scoring API.
        Assert.Equal(HttpStatusCode.NotFound, (await worker.Client.GetAsync("/account/login", cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await worker.Client.PostAsync("/api/ml/credit-score", new StringContent("{}"), cancel)).StatusCode);

        using var api = await DashboardApiAsync(web);
        var accepted = await PostAsync(api, "/api/dashboard/runs", new { dataset = new { rows = 40_000, seed = 7 }, training = new { trees = 400, seed = 7 } });
        var versionId = accepted.GetProperty("version_id").GetGuid();
        var datasetId = accepted.GetProperty("dataset_id").GetGuid();

        // The web process runs no job, yet shows the training moving: the worker's progress comes through the database.
        var seen = new List<double>();
        var midway = await WaitForVersionAsync(api, versionId, v =>
        {
            seen.Add(v.GetProperty("fraction").GetDouble());
            return v.GetProperty("status").GetString() == "Running" && v.GetProperty("done").GetInt64() >= 20;
        }, TimeSpan.FromSeconds(120), "training under way on worker 1");
        Assert.True(seen.Distinct().Count() >= 2, $"progress did not move on the web process: {string.Join(", ", seen.Distinct())}");
        var treesBeforeKill = midway.GetProperty("done").GetInt64();
        Assert.True(treesBeforeKill < 400, "the training ended before the worker could be killed; make it longer");

        // A crash, not a shutdown: nothing gets to say goodbye.
        await worker.KillAsync();
        output.WriteLine($"worker 1 killed after {treesBeforeKill} of 400 trees");
        var afterKill = await GetVersionAsync(api, versionId);
        Assert.Equal("Running", afterKill.GetProperty("status").GetString());

        // A second worker with an empty data folder: it must fetch the dataset from the bucket to train.
        await using var second = await StartAsync("worker-2", "Worker", settings);
        var ready = await WaitForVersionAsync(api, versionId, v => v.GetProperty("status").GetString() is not ("Running" or "Queued"),
            TimeSpan.FromSeconds(180), "the training to finish on worker 2");
        Assert.Equal("Ready", ready.GetProperty("status").GetString());
        Assert.True(ready.GetProperty("roc_auc").GetDouble() > 0.6);
        Assert.Contains(second.Output, line => line.Contains(versionId.ToString(), StringComparison.OrdinalIgnoreCase)); // worker 2's log, with the run id in scope

        // Exactly one version, Ready; the bucket holds its files and the dataset, nothing else; no half-fetched folder anywhere.
        var all = await api.GetFromJsonAsync<JsonElement>("/api/dashboard/versions", Json, cancel);
        Assert.Equal(1, all.GetArrayLength());
        Assert.Equal("Ready", all[0].GetProperty("status").GetString());
        using var s3 = servers.S3.CreateClient();
        var keys = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = artifacts }, cancel)).S3Objects.Select(o => o.Key).Order().ToList();
        Assert.Contains($"artifacts/datasets/{datasetId:N}.csv", keys);
        Assert.All(keys, k => Assert.True(k.StartsWith($"artifacts/datasets/{datasetId:N}", StringComparison.Ordinal) || k.StartsWith("artifacts/models/v1/", StringComparison.Ordinal), $"orphaned object {k}"));
        Assert.Contains("artifacts/models/v1/model.zip", keys);

        // Approved for production (one person here, so the one-person-team setting), the web process serves the new
        // version too: it fetches the files from the bucket and checks them.
        var asked = await PostAsync(api, "/api/dashboard/versions/1/promotion-requests", new { comment = "scale-out", monotonicity_reason = "a test model; its directions are not under test here" });
        await PostAsync(api, $"/api/dashboard/promotion-requests/{asked.GetProperty("id").GetGuid()}/approve", new { comment = "one-person team" });
        var health = await PollAsync(() => web.Client.GetFromJsonAsync<JsonElement>("/health", cancel),
            h => h.GetProperty("model_loaded").GetBoolean(), TimeSpan.FromSeconds(30), "the web process to load v1");
        Assert.Equal("1", health.GetProperty("model_version").GetString());
        Assert.True(File.Exists(Path.Combine(_root, "web", "models", "v1", "model.zip")));
        Assert.Empty(Directory.GetDirectories(_root, "*.fetch", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(_root, "*.fetch", SearchOption.AllDirectories));

        // The worker's metrics count the finished training; the web's count the job storage.
        var workerMetrics = await second.Client.GetStringAsync("/metrics", cancel);
        Assert.Contains("lynq_training_duration_seconds_count{outcome=\"ready\"} 1", workerMetrics, StringComparison.Ordinal);
        var webMetrics = await web.Client.GetStringAsync("/metrics", cancel);
        Assert.Contains("lynq_jobs{state=\"running\"} 0", webMetrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoringProcess_FollowsTheProductionPointer_AndKeepsServingWhileTheWebProcessPromotes()
    {
        var cancel = TestContext.Current.CancellationToken;
        var (settings, _) = await SharedStateAsync();
        var production = $"prod-{Guid.NewGuid():N}"[..20];
        using (var s3 = servers.S3.CreateClient())
        {
            await s3.PutBucketAsync(production, cancel);
        }

        settings["LYNQ_PROMOTION_BUCKET"] = production;
        settings["Lynq__Promotion__Gates__MinRocAuc"] = "0.6";
        settings["Lynq__Promotion__Gates__MaxCalibrationError"] = "0.2";

        // One person signs in here (the Admin): the one-person-team setting, whose approvals the audit log marks.
        settings["LYNQ_REQUIRE_SECOND_APPROVER"] = "false";
        await using var web = await StartAsync("web", "Web", settings);
        await using var worker = await StartAsync("worker", "Worker", settings);
        var scoringSettings = new Dictionary<string, string>(settings)
        {
            ["MODEL_SOURCE"] = "s3", ["S3_BUCKET"] = production, ["Lynq__Scoring__S3ServiceUrl"] = servers.S3.ServiceUrl,
            ["Lynq__Scoring__S3ForcePathStyle"] = "true", ["Lynq__Scoring__RefreshSeconds"] = "1", ["LYNQ_API_KEYS"] = "scale-out-scoring-key-0123",
        };
        await using var scoring = await StartAsync("scoring", "Scoring", scoringSettings);
        Assert.Equal(HttpStatusCode.NotFound, (await scoring.Client.GetAsync("/account/login", cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scoring.Client.GetAsync("/api/dashboard/versions", cancel)).StatusCode);

        using var api = await DashboardApiAsync(web);
        var accepted = await PostAsync(api, "/api/dashboard/runs", new { dataset = new { rows = 10_000, seed = 11 }, training = new { trees = 30 } });
        var versionId = accepted.GetProperty("version_id").GetGuid();
        await WaitForVersionAsync(api, versionId, v => v.GetProperty("status").GetString() == "Ready", TimeSpan.FromSeconds(120), "v1 to be Ready");

        // Score continuously from before the promotion until the scoring process serves v1: every answer is a 200.
        using var caller = new HttpClient { BaseAddress = new Uri(scoring.BaseUrl) };
        caller.DefaultRequestHeaders.Add("X-API-Key", "scale-out-scoring-key-0123");
        var versions = new List<string>();
        var statuses = new List<HttpStatusCode>();
        var asked = await PostAsync(api, "/api/dashboard/versions/1/promotion-requests", new { comment = "scale-out promotion", monotonicity_reason = "a test model; its directions are not under test here" });
        var promoted = await PostAsync(api, $"/api/dashboard/promotion-requests/{asked.GetProperty("id").GetGuid()}/approve", new { comment = "one-person team" });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !versions.Contains("1"))
        {
            using var response = await caller.PostAsync("/api/ml/credit-score", Application(), cancel);
            statuses.Add(response.StatusCode);
            if (response.IsSuccessStatusCode)
            {
                versions.Add((await response.Content.ReadFromJsonAsync<JsonElement>(cancel)).GetProperty("model_version").GetString()!);
            }
        }

        output.WriteLine($"{statuses.Count} scoring calls during the promotion (request {promoted.GetProperty("status").GetString()}, promotion {promoted.GetProperty("promotion_status").GetString()}): {string.Join(", ", versions.Distinct())}");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Contains("1", versions);
        var info = await caller.GetFromJsonAsync<JsonElement>("/model/info", cancel);
        Assert.Equal("1", info.GetProperty("model_version").GetString());
        Assert.StartsWith("s3", info.GetProperty("model_source").GetString(), StringComparison.Ordinal);
        var metrics = await scoring.Client.GetStringAsync("/metrics", cancel);
        Assert.Contains("lynq_model_in_use{version=\"1\"", metrics, StringComparison.Ordinal);
        Assert.Contains("lynq_scoring_requests_total{endpoint=\"single\",status=\"200\"}", metrics, StringComparison.Ordinal);
    }

    private static StringContent Application() => new("""
        {"wallet_address":"0xabc","wallet_age_days":365,"total_transactions":150,"total_volume_usd":50000,"defi_interactions":25,
         "loan_amount":1000,"collateral_value_usd":1500,"term_months":3,"previous_loans":2,"successful_repayments":2,"defaults":0,"reputation_score":75}
        """, System.Text.Encoding.UTF8, "application/json");

    // A fresh database and artifact bucket for one test, and the settings every process of it shares.
    private async Task<(Dictionary<string, string> Settings, string Bucket)> SharedStateAsync()
    {
        var database = await servers.Postgres.CreateDatabaseAsync();
        var bucket = $"artifacts-{Guid.NewGuid():N}"[..24];
        using (var s3 = servers.S3.CreateClient())
        {
            await s3.PutBucketAsync(bucket);
        }

        return (new Dictionary<string, string>
        {
            ["LYNQ_STORAGE"] = "PostgreSQL", ["LYNQ_DB"] = database, ["LYNQ_ARTIFACT_BUCKET"] = bucket,
            ["Lynq__Storage__JobTimeoutSeconds"] = "15", ["Lynq__Storage__ProgressPollMilliseconds"] = "250",
            ["Lynq__Promotion__ServiceUrl"] = servers.S3.ServiceUrl, ["Lynq__Promotion__ForcePathStyle"] = "true",
            ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test", ["AWS_REGION"] = "us-east-1",
            ["LYNQ_ADMIN_EMAIL"] = AdminEmail, ["LYNQ_ADMIN_PASSWORD"] = AdminPassword,
        }, bucket);
    }

    private async Task<BuiltWebApp> StartAsync(string name, string role, Dictionary<string, string> settings)
    {
        var app = await BuiltWebApp.StartAsync(Path.Combine(_root, name), new Dictionary<string, string>(settings) { ["LYNQ_ROLE"] = role }, timeout: TimeSpan.FromSeconds(90));
        output.WriteLine($"{name} ({role}) ready in {app.StartupSeconds:0.0} s");
        return app;
    }

    private static async Task<HttpClient> DashboardApiAsync(BuiltWebApp web)
    {
        var client = await web.SignedInClientAsync(AdminEmail, AdminPassword);
        var token = await client.GetFromJsonAsync<JsonElement>("/api/dashboard/antiforgery", Json);
        client.DefaultRequestHeaders.Add("X-XSRF-TOKEN", token.GetProperty("token").GetString());
        return client;
    }

    private static async Task<JsonElement> PostAsync(HttpClient api, string path, object body)
    {
        using var response = await api.PostAsync(path, JsonContent.Create(body, options: Json));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    private static Task<JsonElement> GetVersionAsync(HttpClient api, Guid id) =>
        api.GetFromJsonAsync<JsonElement>($"/api/dashboard/versions/{id}", Json);

    private static Task<JsonElement> WaitForVersionAsync(HttpClient api, Guid id, Func<JsonElement, bool> done, TimeSpan timeout, string what) =>
        PollAsync(() => GetVersionAsync(api, id), done, timeout, what);

    private static async Task<JsonElement> PollAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await read();
            if (done(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}; last: {(last.ValueKind == JsonValueKind.Undefined ? "nothing" : last.GetRawText())}");
    }
}

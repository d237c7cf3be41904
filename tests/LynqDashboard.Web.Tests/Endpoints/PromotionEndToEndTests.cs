using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3.Model;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Web.Tests.Endpoints;

/// <summary>
/// The whole promotion path with real parts: the dashboard trains and promotes through Hangfire to the local S3
/// server, and a separate scoring-node process (MODEL_SOURCE=s3) follows the production pointer.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PromotionEndToEndTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>
{
    private const string ApiKey = "e2e-scoring-key-0123456789";

    [Fact]
    public async Task PromoteRollBackAndTamper_TheScoringNodeServesWhatThePointerNames_AndRefusesChangedBytes()
    {
        // The standard AWS chain reads these in both processes; the local server checks no signature.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "test");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "test");
        var bucket = $"e2e-{Guid.NewGuid():N}"[..24];
        using var s3 = server.CreateClient();
        await s3.PutBucketAsync(bucket, TestContext.Current.CancellationToken);
        await using var dashboard = new DashboardFactory
        {
            Settings =
            {
                ["Lynq:Promotion:Bucket"] = bucket, ["Lynq:S3:ServiceUrl"] = server.ServiceUrl, ["Lynq:S3:ForcePathStyle"] = "true",
                ["Lynq:Promotion:Gates:MinRocAuc"] = "0.6", ["Lynq:Promotion:Gates:MaxCalibrationError"] = "0.2",
            },
        };
        _ = dashboard.Server;
        var registry = dashboard.Services.GetRequiredService<IModelRegistry>();
        var commands = dashboard.Services.GetRequiredService<RegistryCommands>();
        var promotions = dashboard.Services.GetRequiredService<PromotionCommands>();
        var records = dashboard.Services.GetRequiredService<IPromotionRegistry>();

        var (dataset, first) = await commands.GenerateAndTrainAsync(new DatasetParameters(10_000, 11), new TrainingParameters(Trees: 20));
        var second = await commands.TrainAsync(dataset.Id, new TrainingParameters(Trees: 40, Seed: 3));
        var v1 = await Eventually.WaitForAsync(() => registry.GetVersionAsync(first.Id), v => v.Status == VersionStatus.Ready, TimeSpan.FromSeconds(90), "v1");
        var v2 = await Eventually.WaitForAsync(() => registry.GetVersionAsync(second.Id), v => v.Status == VersionStatus.Ready, TimeSpan.FromSeconds(90), "v2");
        Assert.NotEqual(v1.GoldenPd, v2.GoldenPd);

        async Task<PromotionRecord> RunAsync(Task<PromotionRecord> request)
        {
            var queued = await request;
            return await Eventually.WaitForAsync(() => records.GetPromotionAsync(queued.Id), p => !p.Status.IsActive(), TimeSpan.FromSeconds(60), queued.Label);
        }

        Assert.Equal(PromotionStatus.Succeeded, (await RunAsync(promotions.PromoteAsync(1, "e2e@lynq.test"))).Status);

        await using var node = await BuiltWebApp.StartAsync(Path.Combine(Path.GetTempPath(), "lynq-e2e-node", Guid.NewGuid().ToString("N")), new Dictionary<string, string>
        {
            ["MODEL_SOURCE"] = "s3", ["S3_BUCKET"] = bucket, ["Lynq__S3__ServiceUrl"] = server.ServiceUrl, ["Lynq__S3__ForcePathStyle"] = "true",
            ["Lynq__Scoring__RefreshSeconds"] = "1", ["LYNQ_API_KEYS"] = ApiKey, ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test",
        }, health => health.Contains("\"model_version\":\"1\"", StringComparison.Ordinal));
        node.Client.DefaultRequestHeaders.Add("X-API-KEY", ApiKey);
        await AssertServesAsync(node, "1", v1.GoldenPd!.Value);

        Assert.Equal(PromotionStatus.Succeeded, (await RunAsync(promotions.PromoteAsync(2, "e2e@lynq.test"))).Status);
        await WaitForVersionAsync(node, "2");
        await AssertServesAsync(node, "2", v2.GoldenPd!.Value);
        Assert.Equal((VersionStatus.Archived, VersionStatus.Production), ((await registry.GetVersionAsync(v1.Id))!.Status, (await registry.GetVersionAsync(v2.Id))!.Status));

        Assert.Equal(PromotionStatus.Succeeded, (await RunAsync(promotions.RollbackAsync("e2e@lynq.test"))).Status);
        await WaitForVersionAsync(node, "1");
        await AssertServesAsync(node, "1", v1.GoldenPd!.Value);

        // Someone changes v2's model in the bucket and points production at it by hand: the node must refuse it.
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "models/credit_model_v2.zip", ContentBody = "tampered" }, TestContext.Current.CancellationToken);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = PromotionLayout.DefaultPointerKey,
            ContentBody = JsonSerializer.Serialize(new ProductionPointer("models/credit_model_v2_manifest.json", "2", DateTimeOffset.UtcNow), LynqJson.Options),
        }, TestContext.Current.CancellationToken);
        var degraded = await Eventually.WaitForAsync(() => node.Client.GetStringAsync("/health")!, h => h.Contains("\"degraded\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the node to refuse v2");
        Assert.Contains("does not match its manifest", degraded, StringComparison.Ordinal);
        await AssertServesAsync(node, "1", v1.GoldenPd!.Value);
    }

    private static Task WaitForVersionAsync(BuiltWebApp node, string version) =>
        Eventually.WaitForAsync(() => node.Client.GetStringAsync("/health")!, h => h.Contains($"\"model_version\":\"{version}\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30), $"the node to serve v{version}");

    // The node's answer for the example applicant is the PD training recorded for that version: the very model, not just its label.
    private static async Task AssertServesAsync(BuiltWebApp node, string version, double goldenPd)
    {
        var response = await node.Client.PostAsJsonAsync("/api/ml/credit-score", Body(LoanApplication.Example));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(version, json.RootElement.GetProperty("model_version").GetString());
        Assert.False(json.RootElement.GetProperty("is_fallback").GetBoolean());
        Assert.Equal(goldenPd, json.RootElement.GetProperty("default_probability").GetDouble(), 1e-4);
    }

    private static Dictionary<string, object?> Body(LoanApplication a) => new()
    {
        ["wallet_address"] = a.WalletAddress, ["wallet_age_days"] = a.WalletAgeDays, ["total_transactions"] = a.TotalTransactions,
        ["total_volume_usd"] = a.TotalVolumeUsd, ["defi_interactions"] = a.DefiInteractions, ["loan_amount"] = a.LoanAmount,
        ["collateral_value_usd"] = a.CollateralValueUsd, ["term_months"] = a.TermMonths, ["previous_loans"] = a.PreviousLoans,
        ["successful_repayments"] = a.SuccessfulRepayments, ["defaults"] = a.Defaults, ["reputation_score"] = a.ReputationScore,
    };
}

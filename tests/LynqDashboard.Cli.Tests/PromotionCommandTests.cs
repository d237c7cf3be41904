using LynqDashboard.Core;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Promotion;
using System.Security.Cryptography;
using System.Text.Json;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Infrastructure;
using LynqDashboard.Infrastructure.Registry;
using LynqDashboard.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Cli.Tests;

/// <summary>lynq promote and lynq rollback against a real registry and the local S3 server.</summary>
public sealed class PromotionCommandTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>
{
    [Fact]
    public async Task PromotePromoteRollback_AsAOnePersonTeam_ExitZeroOnlyWhenVerified_AndMoveThePointer()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "test");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "test");
        using var folder = new TempFolder();
        var versions = await TrainIntoRegistryAsync(folder.Path, 2);
        var bucket = $"cli-{Guid.NewGuid():N}"[..24];
        using var s3 = server.CreateClient();
        await s3.PutBucketAsync(bucket);
        string[] Args(params string[] verb) => [.. verb, "--data-dir", folder.Path, "--bucket", bucket, "--service-url", server.ServiceUrl, "--path-style", "--min-roc-auc", "0.6", "--max-calibration-error", "0.2", "--by", "ci-pipeline"];
        string[] Promote(string version) => Args("promote", "--version", version, "--require-second-approver", "false", "--monotonicity-reason", "small test models; their directions are not under test");

        var first = await CliRunner.RunAsync(Promote("1"));

        Assert.True(first.ExitCode == ExitCodes.Success, first.Error);
        Assert.Contains("ok   Golden record scores as recorded", first.Output, StringComparison.Ordinal);
        Assert.Contains("Promotion of v1 succeeded: s3://" + bucket + "/models/production.json names models/credit_model_v1_manifest.json.", first.Output, StringComparison.Ordinal);
        Assert.Equal(versions[0].Artifacts.Single(a => a.Name == "model.zip").Sha256, await ShaAsync(s3, bucket, "models/credit_model_v1.zip"));

        var second = await CliRunner.RunAsync(Promote("2"));
        Assert.True(second.ExitCode == ExitCodes.Success, second.Error);
        Assert.Equal("2", (await PointerAsync(s3, bucket)).Version);

        var back = await CliRunner.RunAsync(Args("rollback"));

        Assert.True(back.ExitCode == ExitCodes.Success, back.Error);
        Assert.Equal("1", (await PointerAsync(s3, bucket)).Version);
        Assert.Contains("ok   Objects intact", back.Output, StringComparison.Ordinal);
        var granted = (await AuditAsync(folder.Path)).Where(e => e.Action == PromotionRequests.Approved).ToList();
        Assert.Equal(2, granted.Count);
        Assert.All(granted, e => Assert.Contains("second approver not required (Lynq:Governance:RequireSecondApprover=false)", e.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Promote_WithFourEyes_RefusesAVersionNobodyApproved_AndCarriesOutAnApprovalWhosePromotionFailed()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "test");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "test");
        using var folder = new TempFolder();
        await TrainIntoRegistryAsync(folder.Path, 1);
        var bucket = $"cli-{Guid.NewGuid():N}"[..24];
        using var s3 = server.CreateClient();
        await s3.PutBucketAsync(bucket);
        string[] Args() => ["promote", "--version", "1", "--data-dir", folder.Path, "--bucket", bucket, "--service-url", server.ServiceUrl, "--path-style", "--min-roc-auc", "0.6", "--max-calibration-error", "0.2", "--by", "ci-pipeline"];

        var refused = await CliRunner.RunAsync(Args());

        Assert.Equal(ExitCodes.Failure, refused.ExitCode);
        var line = Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: v1 has no approved promotion request.", line, StringComparison.Ordinal);
        Assert.Contains("/api/dashboard/versions/1/promotion-requests", line, StringComparison.Ordinal);

        // A Trainer asked and a second person approved on the dashboard, but that promotion failed (its worker died).
        await ApproveAsync(folder.Path, bucket);

        var carried = await CliRunner.RunAsync(Args());

        Assert.True(carried.ExitCode == ExitCodes.Success, carried.Error);
        Assert.Equal("1", (await PointerAsync(s3, bucket)).Version);
        var again = await CliRunner.RunAsync(Args());
        Assert.Contains("already succeeded; nothing to carry out", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_ToAMissingBucket_ExitsOneWithTheS3CodeOnOneLine()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "test");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "test");
        using var folder = new TempFolder();
        await TrainIntoRegistryAsync(folder.Path, 1);

        var result = await CliRunner.RunAsync("promote", "--version", "1", "--data-dir", folder.Path, "--bucket", "no-such-bucket-here", "--service-url", server.ServiceUrl, "--path-style",
            "--require-second-approver", "false", "--monotonicity-reason", "small test model; its directions are not under test");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: [NoSuchBucket] Preflight failed:", line, StringComparison.Ordinal);
        Assert.Contains("FAIL Bucket reachable", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "promote", "--version", "1" }, "error: --bucket is required (or set LYNQ_PROMOTION_BUCKET)")]
    [InlineData(new[] { "promote", "--version", "1", "--bucket", "b-1", "--key-prefix", "/abs/x" }, "error: --key-prefix must be a relative key")]
    [InlineData(new[] { "promote", "--version", "9", "--bucket", "b-1" }, "error: There is no v9.")]
    [InlineData(new[] { "promote", "--version", "1", "--bucket", "b-1", "--region", "Europe" }, "error: --region 'Europe' is not a region name such as eu-west-1")]
    [InlineData(new[] { "promote", "--version", "1", "--bucket", "b-1", "--timeout-seconds", "0" }, "error: --timeout-seconds must be between 1 and 3,600 (got 0)")]
    [InlineData(new[] { "rollback", "--bucket", "b-1", "--max-retries", "11" }, "error: --max-retries must be between 0 and 10 (got 11)")]
    public async Task Promote_BadInput_ExitsTwoNamingTheOption(string[] args, string message)
    {
        Environment.SetEnvironmentVariable("LYNQ_PROMOTION_BUCKET", null);
        using var folder = new TempFolder();
        await TrainIntoRegistryAsync(folder.Path, 0);

        var result = await CliRunner.RunAsync([.. args, "--data-dir", folder.Path, "--service-url", server.ServiceUrl]);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_ServiceUrlThatIsNoUrl_ExitsTwoNamingTheOption()
    {
        using var folder = new TempFolder();
        await TrainIntoRegistryAsync(folder.Path, 0);

        var result = await CliRunner.RunAsync("promote", "--version", "1", "--bucket", "b-1", "--data-dir", folder.Path, "--service-url", "s3.local");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("error: --service-url 's3.local' is not an absolute URL", result.Error, StringComparison.Ordinal);
    }

    // Ready versions made by the real workflows on one 8,000-row dataset.
    private static Task<List<ModelVersionRecord>> TrainIntoRegistryAsync(string root, int count) =>
        TrainedRegistry.TrainAsync(root, new DatasetParameters(8_000, 21), [.. Enumerable.Range(0, count).Select(i => new TrainingParameters(Trees: 20 + (10 * i)))]);

    // The dashboard's side, on the same registry: a Trainer asks, a second person approves, and the promotion that queues fails.
    private static async Task ApproveAsync(string root, string bucket)
    {
        var data = new DataDirectory(root);
        await using var services = new ServiceCollection().AddLynqInfrastructure(data.RegistryDatabase).AddLynqCore()
            .AddSingleton(data)
            .AddSingleton<IArtifactStore>(new LocalArtifactStore(data))
            .AddSingleton<IJobScheduler>(new NullScheduler())
            .AddSingleton<IRunUpdatePublisher>(new NullPublisher())
            .AddSingleton(JobDurability.InMemory)
            .AddSingleton(new PromotionTarget(bucket))
            .AddSingleton(new PromotionGates(0.6, 0.2))
            .AddSingleton<IObjectStoreFactory>(new NoBuckets())
            .BuildServiceProvider();
        var requests = services.GetRequiredService<PromotionRequests>();
        var asked = await requests.RequestAsync(1, "trainer@lynq.test", "ready for production", monotonicityReason: "small test model; its directions are not under test");
        var (_, promotion) = await requests.ApproveAsync(asked.Id, "approver@lynq.test", "checked");
        await services.GetRequiredService<IPromotionRegistry>().UpdatePromotionAsync(promotion.Id, p => (p.Status, p.Error) = (PromotionStatus.Failed, "the worker stopped"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private static async Task<IReadOnlyList<AuditEvent>> AuditAsync(string root)
    {
        var data = new DataDirectory(root);
        await using var services = new ServiceCollection().AddLynqInfrastructure(data.RegistryDatabase).BuildServiceProvider();
        var events = await services.GetRequiredService<IAuditLog>().ListAsync(0, 500);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return events;
    }

    private sealed class NoBuckets : IObjectStoreFactory
    {
        public IObjectStore Open(string bucket) => throw new InvalidOperationException($"The dashboard side of this test opens no bucket (s3://{bucket}).");
    }

    private static async Task<string> ShaAsync(Amazon.S3.IAmazonS3 s3, string bucket, string key)
    {
        using var response = await s3.GetObjectAsync(bucket, key);
        using var memory = new MemoryStream();
        await response.ResponseStream.CopyToAsync(memory);
        return Convert.ToHexStringLower(SHA256.HashData(memory.ToArray()));
    }

    private static async Task<ProductionPointer> PointerAsync(Amazon.S3.IAmazonS3 s3, string bucket)
    {
        using var response = await s3.GetObjectAsync(bucket, "models/production.json");
        return (await JsonSerializer.DeserializeAsync<ProductionPointer>(response.ResponseStream, LynqJson.Options))!;
    }
}

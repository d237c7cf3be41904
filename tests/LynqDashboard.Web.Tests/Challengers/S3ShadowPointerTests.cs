using System.Text.Json;
using Amazon.S3.Model;
using LynqDashboard.Core.Challengers;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Core.Storage;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Web.Challengers;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Web.Tests.Endpoints;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Challengers;

/// <summary>
/// Against the real local S3 server: putting a version in shadow uploads its objects and manifest and then writes
/// models/shadow.json beside the production pointer; an S3 scoring node picks the shadow up and drops it when cleared.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class S3ShadowPointerTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SetShadow_WithAPromotionBucket_WritesThePointerLast_AndAnS3NodeScoresWithIt()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "test");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "test");
        var bucket = $"shadow-{Guid.NewGuid():N}"[..24];
        using var s3 = server.CreateClient();
        await s3.PutBucketAsync(bucket, Cancel);
        await using var dashboard = new DashboardFactory
        {
            Settings =
            {
                ["Lynq:Promotion:Bucket"] = bucket, ["Lynq:S3:ServiceUrl"] = server.ServiceUrl, ["Lynq:S3:ForcePathStyle"] = "true",
                ["Lynq:Promotion:Gates:MinRocAuc"] = "0.6", ["Lynq:Promotion:Gates:MaxCalibrationError"] = "0.2", ["Lynq:Scoring:ApiKeys:0"] = ScoringApiFixture.Key,
            },
        };
        var production = await ServedVersion.TrainAndServeAsync(dashboard.Services);
        var (_, queued) = await dashboard.Services.GetRequiredService<RegistryCommands>().GenerateAndTrainAsync(new DatasetParameters(8_000, 5), new TrainingParameters(Trees: 20));
        var registry = dashboard.Services.GetRequiredService<IModelRegistry>();
        var shadow = await Eventually.WaitForAsync(() => registry.GetVersionAsync(queued.Id), v => v.Status == VersionStatus.Ready, TimeSpan.FromSeconds(90), "the shadow version");

        var commands = dashboard.Services.GetRequiredService<ChallengerCommands>();
        await commands.StartShadowAsync(shadow.Number, "approver@lynq.test", Cancel);

        var pointer = JsonSerializer.Deserialize<ProductionPointer>(await ReadAsync(s3, bucket, "models/shadow.json"), LynqJson.Options)!;
        Assert.Equal($"models/credit_model_v{shadow.Number}_manifest.json", pointer.Manifest);
        var manifest = JsonSerializer.Deserialize<PromotionManifest>(await ReadAsync(s3, bucket, pointer.Manifest), LynqJson.Options)!;
        var model = manifest.Objects.Single(o => o.Role == PromotionManifest.ModelRole);
        Assert.Equal(shadow.Artifacts.Single(a => a.Name == Core.Artifacts.ModelArtifacts.ModelFile).Sha256, model.Sha256);

        // Manifest after every object it names, the pointer after the manifest.
        var pointerAt = await ModifiedAsync(s3, bucket, "models/shadow.json");
        var manifestAt = await ModifiedAsync(s3, bucket, pointer.Manifest);
        Assert.True(manifestAt <= pointerAt);
        foreach (var item in manifest.Objects)
        {
            Assert.True(await ModifiedAsync(s3, bucket, item.Key) <= manifestAt, item.Key);
        }

        // The production pointer is untouched.
        Assert.Contains($"credit_model_v{production.Number}_manifest.json", System.Text.Encoding.UTF8.GetString(await ReadAsync(s3, bucket, "models/production.json")), StringComparison.Ordinal);

        await using var node = new DashboardFactory
        {
            Settings =
            {
                ["Lynq:Role"] = "Scoring", ["Lynq:Scoring:ModelSource"] = "s3", ["Lynq:Scoring:S3Bucket"] = bucket, ["Lynq:S3:ServiceUrl"] = server.ServiceUrl,
                ["Lynq:S3:ForcePathStyle"] = "true", ["Lynq:Scoring:RefreshSeconds"] = "1", ["Lynq:Scoring:ApiKeys:0"] = ScoringApiFixture.Key,
            },
        };
        _ = node.Server;
        var live = node.Services.GetRequiredService<ActiveChallengers>();
        await Eventually.WaitForAsync(() => Task.FromResult<ChallengerModels?>(live.Current), c => c.Shadow?.Number == shadow.Number, TimeSpan.FromSeconds(30), "the node to load the shadow");
        using var client = node.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-KEY", ScoringApiFixture.Key);
        using (var info = JsonDocument.Parse(await client.GetStringAsync("/model/info", Cancel)))
        {
            Assert.Equal(shadow.Number, info.RootElement.GetProperty("shadow_version").GetInt32());
            Assert.Equal(production.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), info.RootElement.GetProperty("model_version").GetString());
        }

        await commands.StopShadowAsync("approver@lynq.test", Cancel);
        Assert.Null(await FindAsync(s3, bucket, "models/shadow.json"));
        await Eventually.WaitForAsync(() => Task.FromResult<ChallengerModels?>(live.Current), c => c.Shadow is null, TimeSpan.FromSeconds(30), "the node to drop the shadow");
    }

    private static async Task<byte[]> ReadAsync(Amazon.S3.IAmazonS3 s3, string bucket, string key) =>
        await FindAsync(s3, bucket, key) ?? throw new InvalidOperationException($"s3://{bucket}/{key} is missing");

    private static async Task<byte[]?> FindAsync(Amazon.S3.IAmazonS3 s3, string bucket, string key)
    {
        try
        {
            using var response = await s3.GetObjectAsync(bucket, key, Cancel);
            using var memory = new MemoryStream();
            await response.ResponseStream.CopyToAsync(memory, Cancel);
            return memory.ToArray();
        }
        catch (Amazon.S3.AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task<DateTime> ModifiedAsync(Amazon.S3.IAmazonS3 s3, string bucket, string key) =>
        (await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, Cancel)).LastModified ?? DateTime.MinValue;
}

using LynqDashboard.Core;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3.Model;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Tests.Shared;
using VersionStatus = LynqDashboard.Core.Registry.VersionStatus;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Infrastructure.Tests.Promotion;

/// <summary>The checks that block a promotion before anything is written, each naming what is wrong.</summary>
public sealed class PreflightTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>
{
    [Fact]
    public async Task FeaturesDifferFromProduction_Blocks_NamingTheDifference()
    {
        await using var bed = await PromotionBed.CreateAsync(server);
        var v1 = await bed.TrainAsync();
        // Production holds a model from another build: two features swapped.
        var swapped = LoanFeatures.Names.ToList();
        (swapped[2], swapped[3]) = (swapped[3], swapped[2]);
        await PutProductionAsync(bed, "7", JsonSerializer.SerializeToUtf8Bytes(new { features = swapped, version = "7" }));

        var promotion = await bed.PromoteAsync(v1.Number);

        Assert.Equal((PromotionStatus.Failed, ObjectStoreException.PreflightFailed), (promotion.Status, promotion.ErrorCode));
        var check = promotion.Checks.Single(c => c.Name == PromotionPreflight.Features);
        Assert.False(check.Passed);
        Assert.Contains("position 3 is defi_interactions in production but total_volume_usd here", check.Detail, StringComparison.Ordinal);
        Assert.Null(await bed.ShaAsync("models/credit_model_v1.zip"));
        Assert.Equal(VersionStatus.Ready, await bed.StatusOfAsync(1));
    }

    [Fact]
    public async Task ProductionFromTheOriginalUploader_WithTheSameFeatures_Passes()
    {
        await using var bed = await PromotionBed.CreateAsync(server);
        var v1 = await bed.TrainAsync();
        // upload_to_s3.py's config: the features list and a few fields, nothing of ours.
        await PutProductionAsync(bed, "3", JsonSerializer.SerializeToUtf8Bytes(new { features = LoanFeatures.Names, version = "3", model_type = "GradientBoostingClassifier" }));

        var promotion = await bed.PromoteAsync(v1.Number);

        Assert.Equal(PromotionStatus.Succeeded, promotion.Status);
        Assert.Contains("(version 3)", promotion.Checks.Single(c => c.Name == PromotionPreflight.Features).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PackagedModelNotTheTrainedOne_FailsTheGoldenRecord()
    {
        await using var bed = await PromotionBed.CreateAsync(server);
        var v1 = await bed.TrainAsync();
        await bed.Registry.UpdateVersionAsync(v1.Id, v => v.GoldenPd = v.GoldenPd!.Value + 0.01);

        var promotion = await bed.PromoteAsync(v1.Number);

        Assert.Equal(PromotionStatus.Failed, promotion.Status);
        var check = promotion.Checks.Single(c => c.Name == PromotionPreflight.Golden);
        Assert.False(check.Passed);
        Assert.Contains("the package is not the trained model", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelFileChangedOnDisk_FailsFilesMatchAndTheGoldenRecordStillLoads()
    {
        await using var bed = await PromotionBed.CreateAsync(server);
        var v1 = await bed.TrainAsync();
        var config = Path.Combine(bed.Data.Resolve(v1.ArtifactDirectory!), "feature_config.json");
        await File.AppendAllTextAsync(config, " ");

        var promotion = await bed.PromoteAsync(v1.Number);

        Assert.Equal(PromotionStatus.Failed, promotion.Status);
        Assert.Contains("feature_config.json changed since training", promotion.Checks.Single(c => c.Name == PromotionPreflight.FilesMatch).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QualityGates_BlockAVersionBelowTheConfiguredRocAuc()
    {
        await using var bed = await PromotionBed.CreateAsync(server, gates: new PromotionGates(MinRocAuc: 0.99, MaxCalibrationError: 0.2));
        var v1 = await bed.TrainAsync();

        var promotion = await bed.PromoteAsync(v1.Number);

        var check = promotion.Checks.Single(c => c.Name == PromotionPreflight.Quality);
        Assert.False(check.Passed);
        Assert.Contains("misses ≥ 0.99", check.Detail, StringComparison.Ordinal);
        Assert.Equal(PromotionStatus.Failed, promotion.Status);
        Assert.Equal([], await bed.KeysAsync());
    }

    [Fact]
    public async Task LeakageFlag_BlocksWithoutAWrittenReason_AndPassesWithOne()
    {
        await using var bed = await PromotionBed.CreateAsync(server);
        var leaky = await bed.TrainAsync(labelMode: LabelMode.LynqOriginal);
        Assert.Contains("reputation_score", leaky.LeakageSuspects, StringComparison.Ordinal);

        var refused = await Assert.ThrowsAsync<LynqException>(() => bed.Commands.PromoteAsync(leaky.Number, "someone", "because"));
        Assert.Contains("flagged for target leakage", refused.Message, StringComparison.Ordinal);
        Assert.Equal("leakage_reason", refused.Field);
        Assert.Empty(await bed.Promotions.ListPromotionsAsync());

        var reason = "Shadow deployment to compare with the original service; not used for decisions.";
        var promotion = await bed.PromoteAsync(leaky.Number, reason);

        Assert.Equal(PromotionStatus.Succeeded, promotion.Status);
        Assert.Equal(reason, promotion.LeakageReason);
        Assert.Contains(reason, promotion.Checks.Single(c => c.Name == PromotionPreflight.Leakage).Detail, StringComparison.Ordinal);
        Assert.Contains(await bed.Promotions.ListAsync(), a => a.Action == "promotion.requested" && a.Detail.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AVersionStillTraining_CannotBeAskedFor()
    {
        await using var bed = await PromotionBed.CreateAsync(server);
        var v1 = await bed.TrainAsync();
        await bed.Registry.UpdateVersionAsync(v1.Id, v => v.Status = VersionStatus.Failed);

        var error = await Assert.ThrowsAsync<LynqException>(() => bed.Commands.PromoteAsync(v1.Number, "someone"));

        Assert.Contains("only a trained (Ready) version can be promoted", error.Message, StringComparison.Ordinal);
        Assert.Equal(ProblemKind.Conflict, error.Kind);
    }

    private static async Task PutProductionAsync(PromotionBed bed, string version, byte[] config)
    {
        var prefix = $"models/credit_model_v{version}";
        await bed.Direct.PutObjectAsync(new PutObjectRequest { BucketName = bed.Bucket, Key = $"{prefix}_config.json", InputStream = new MemoryStream(config) });
        var manifest = new PromotionManifest(version, [new ManifestObject($"{prefix}_config.json", PromotionManifest.ConfigRole, Convert.ToHexStringLower(SHA256.HashData(config)), config.Length)], DateTimeOffset.UtcNow, "python", null);
        await bed.Direct.PutObjectAsync(new PutObjectRequest { BucketName = bed.Bucket, Key = $"{prefix}_manifest.json", ContentBody = JsonSerializer.Serialize(manifest, LynqJson.Options) });
        await bed.Direct.PutObjectAsync(new PutObjectRequest { BucketName = bed.Bucket, Key = PromotionLayout.DefaultPointerKey, ContentBody = JsonSerializer.Serialize(new ProductionPointer($"{prefix}_manifest.json", version, DateTimeOffset.UtcNow), LynqJson.Options), ContentType = "application/json" });
    }
}

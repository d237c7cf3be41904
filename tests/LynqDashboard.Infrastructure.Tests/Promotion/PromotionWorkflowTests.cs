using LynqDashboard.Core;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Infrastructure.Tests.Promotion;

/// <summary>Promotion and rollback against the real local S3 server: what lands in the bucket, in what order, and the registry after.</summary>
public sealed class PromotionWorkflowTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>
{
    private const string Pointer = PromotionLayout.DefaultPointerKey;

    [Fact]
    public async Task Promote_UploadsVerifiedObjects_WritesTheManifestLastThenThePointer_AndMakesTheVersionProduction()
    {
        await using var bed = await PromotionBed.CreateAsync(server);
        var v1 = await bed.TrainAsync();

        var promotion = await bed.PromoteAsync(v1.Number);

        Assert.Equal(PromotionStatus.Succeeded, promotion.Status);
        Assert.All(promotion.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Equal(
            [PromotionPreflight.Ready, PromotionPreflight.FilesMatch, PromotionPreflight.Reachable, PromotionPreflight.Writable, PromotionPreflight.Features, PromotionPreflight.Golden, PromotionPreflight.Quality, PromotionPreflight.Leakage],
            promotion.Checks.Select(c => c.Name));

        // The bytes in the bucket are the bytes the registry recorded at training.
        Assert.Equal(PromotionBed.RegistrySha(v1, ModelArtifacts.ModelFile), await bed.ShaAsync("models/credit_model_v1.zip"));
        Assert.Equal(PromotionBed.RegistrySha(v1, ModelArtifacts.FeatureConfigFile), await bed.ShaAsync("models/credit_model_v1_config.json"));
        var manifest = await bed.ReadJsonAsync<PromotionManifest>("models/credit_model_v1_manifest.json");
        Assert.Equal("1", manifest.Version);
        Assert.Equal("risk.lead@lynq.test", manifest.PromotedBy);
        Assert.Equal(
            [("models/credit_model_v1.zip", PromotionBed.RegistrySha(v1, ModelArtifacts.ModelFile)), ("models/credit_model_v1_config.json", PromotionBed.RegistrySha(v1, ModelArtifacts.FeatureConfigFile))],
            manifest.Objects.Select(o => (o.Key, o.Sha256)));
        Assert.Equal(v1.Artifacts.Single(a => a.Name == ModelArtifacts.ModelFile).SizeBytes, manifest.Objects[0].SizeBytes);
        var pointer = await bed.ReadJsonAsync<ProductionPointer>(Pointer);
        Assert.Equal(("models/credit_model_v1_manifest.json", "1"), (pointer.Manifest, pointer.Version));

        // Order of writes: both objects, then the manifest, then the pointer.
        var puts = bed.Proxy.Requests.Where(r => r.Method == "PUT" && !r.Path.Contains(".lynq-write-check", StringComparison.Ordinal)).Select(r => r.Path[(bed.Bucket.Length + 2)..]).ToList();
        Assert.Equal(["models/credit_model_v1.zip", "models/credit_model_v1_config.json", "models/credit_model_v1_manifest.json", Pointer], puts);

        Assert.Equal(VersionStatus.Production, await bed.StatusOfAsync(1));
        Assert.Equal("models/credit_model_v1_manifest.json", promotion.ManifestKey);
        Assert.Equal(2, promotion.Objects.Count);
        var audit = await bed.Promotions.ListAsync();
        Assert.Equal(["promotion.succeeded", "promotion.requested"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal("risk.lead@lynq.test", a.Actor));
        Assert.DoesNotContain(await bed.KeysAsync(), k => k.Contains("write-check", StringComparison.Ordinal));

        // The byte-level progress reached the whole size of both files.
        var total = v1.Artifacts.Where(a => a.Name is ModelArtifacts.ModelFile or ModelArtifacts.FeatureConfigFile).Sum(a => a.SizeBytes);
        Assert.Contains(bed.Updates, u => u.Kind == Core.Runs.RunKind.Promotion && u.Progress.Stage == "uploading" && u.Progress.Done == total && u.Progress.Total == total);
    }

    [Fact]
    public async Task Promote_AVersionWithItsDocumentationPack_UploadsPReportPdfListedWithItsSha256_AndRollbackStillVerifies()
    {
        await using var bed = await PromotionBed.CreateAsync(server, withReports: true);
        var v1 = await bed.TrainAsync();
        var v2 = await bed.TrainAsync(seed: 5);

        Assert.Equal(PromotionStatus.Succeeded, (await bed.PromoteAsync(v1.Number)).Status);

        var manifest = await bed.ReadJsonAsync<PromotionManifest>("models/credit_model_v1_manifest.json");
        var report = Assert.Single(manifest.Objects, o => o.Role == PromotionManifest.ReportRole);
        Assert.Equal(("models/credit_model_v1_report.pdf", PromotionBed.RegistrySha(v1, IModelReports.PdfFile)), (report.Key, report.Sha256));
        Assert.Equal(PromotionBed.RegistrySha(v1, IModelReports.PdfFile), await bed.ShaAsync("models/credit_model_v1_report.pdf"));
        Assert.Equal([PromotionManifest.ModelRole, PromotionManifest.ConfigRole, PromotionManifest.ReportRole], manifest.Objects.Select(o => o.Role));
        Assert.Null((await bed.Stores.Open(bed.Bucket).ReadProductionAsync(Pointer, TestContext.Current.CancellationToken)).Problem);

        // v1's pack is rewritten after it was promoted (a governance event); rolling back to it still verifies.
        Assert.Equal(PromotionStatus.Succeeded, (await bed.PromoteAsync(v2.Number)).Status);
        await bed.Reports!.WriteAsync(v1.Id, TestContext.Current.CancellationToken);
        Assert.NotEqual(PromotionBed.RegistrySha(v1, IModelReports.PdfFile), PromotionBed.RegistrySha((await bed.Registry.GetVersionAsync(v1.Id, TestContext.Current.CancellationToken))!, IModelReports.PdfFile));
        var rollback = await bed.RollbackAsync();
        Assert.Equal(PromotionStatus.Succeeded, rollback.Status);
        Assert.Equal("models/credit_model_v1_manifest.json", (await bed.ReadJsonAsync<ProductionPointer>(Pointer)).Manifest);
    }

    [Fact]
    public async Task PromoteSecond_ArchivesTheFirst_AndRollback_VerifiesAndPointsBack()
    {
        await using var bed = await PromotionBed.CreateAsync(server);
        var v1 = await bed.TrainAsync(seed: 4);
        var v2 = await bed.TrainAsync(seed: 5, trees: 30);
        Assert.Equal(PromotionStatus.Succeeded, (await bed.PromoteAsync(v1.Number)).Status);

        var second = await bed.PromoteAsync(v2.Number);

        Assert.Equal(PromotionStatus.Succeeded, second.Status);
        Assert.Equal(1, second.PreviousVersionNumber);
        Assert.Equal((VersionStatus.Archived, VersionStatus.Production), (await bed.StatusOfAsync(1), await bed.StatusOfAsync(2)));
        Assert.Equal("models/credit_model_v2_manifest.json", (await bed.ReadJsonAsync<ProductionPointer>(Pointer)).Manifest);
        Assert.Contains("same 12 features", second.Checks.Single(c => c.Name == PromotionPreflight.Features).Detail, StringComparison.Ordinal);

        var (target, _) = await bed.Commands.RollbackTargetAsync();
        Assert.Equal(1, target!.VersionNumber);
        var rollback = await bed.RollbackAsync();

        Assert.Equal((PromotionKind.Rollback, PromotionStatus.Succeeded), (rollback.Kind, rollback.Status));
        Assert.Equal("models/credit_model_v1_manifest.json", (await bed.ReadJsonAsync<ProductionPointer>(Pointer)).Manifest);
        Assert.Equal((VersionStatus.Production, VersionStatus.Archived), (await bed.StatusOfAsync(1), await bed.StatusOfAsync(2)));
        Assert.Contains(rollback.Checks, c => c.Name == RollbackWorkflow.ObjectsIntact && c.Passed);
        // A rollback reads the old objects back; it writes nothing but the pointer.
        var rollbackStart = bed.Proxy.Requests.ToList().FindLastIndex(r => r.Method == "PUT" && r.Path.EndsWith("credit_model_v2_manifest.json", StringComparison.Ordinal));
        Assert.Equal([Pointer], bed.Proxy.Requests.Skip(rollbackStart + 1).Where(r => r.Method == "PUT").Select(r => r.Path[(bed.Bucket.Length + 2)..]).Distinct());
        Assert.Equal("rollback.succeeded", (await bed.Promotions.ListAsync(take: 1))[0].Action);
    }

    [Fact]
    public async Task PromoteTheServingVersionAgain_RewritesNothing_AndLeavesOneProductionVersion()
    {
        await using var bed = await PromotionBed.CreateAsync(server);
        var v1 = await bed.TrainAsync();
        await bed.PromoteAsync(v1.Number);
        var pointerBefore = await bed.ShaAsync(Pointer);
        var requestsBefore = bed.Proxy.Requests.Count;

        var again = await bed.PromoteAsync(v1.Number);

        Assert.Equal(PromotionStatus.Succeeded, again.Status);
        Assert.Equal(pointerBefore, await bed.ShaAsync(Pointer));
        var writes = bed.Proxy.Requests.Skip(requestsBefore).Where(r => r.Method is "PUT" or "POST" && !r.Path.Contains(".lynq-write-check", StringComparison.Ordinal)).ToList();
        Assert.Empty(writes);
        Assert.Equal(VersionStatus.Production, await bed.StatusOfAsync(1));
        Assert.Single((await bed.Registry.QueryVersionsAsync(new VersionQuery(Status: VersionStatus.Production))).Items);
    }

    [Fact]
    public async Task Rollback_WhenTheOlderObjectChangedInTheBucket_IsRefusedAndThePointerStays()
    {
        await using var bed = await PromotionBed.CreateAsync(server);
        var v1 = await bed.TrainAsync(seed: 4);
        var v2 = await bed.TrainAsync(seed: 5);
        await bed.PromoteAsync(v1.Number);
        await bed.PromoteAsync(v2.Number);
        await bed.Direct.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = bed.Bucket, Key = "models/credit_model_v1.zip", ContentBody = "not a model" });
        var pointerBefore = await bed.ShaAsync(Pointer);

        var rollback = await bed.RollbackAsync();

        Assert.Equal(PromotionStatus.Failed, rollback.Status);
        Assert.Equal("ChecksumMismatch", rollback.ErrorCode);
        Assert.Contains("models/credit_model_v1.zip changed since it was promoted", rollback.Error, StringComparison.Ordinal);
        Assert.Equal(pointerBefore, await bed.ShaAsync(Pointer));
        Assert.Equal((VersionStatus.Archived, VersionStatus.Production), (await bed.StatusOfAsync(1), await bed.StatusOfAsync(2)));
        Assert.Equal("rollback.failed", (await bed.Promotions.ListAsync(take: 1))[0].Action);
    }

    [Fact]
    public async Task Rollback_WithOnlyOnePromotion_IsRefusedWithTheReason()
    {
        await using var bed = await PromotionBed.CreateAsync(server);
        await bed.PromoteAsync((await bed.TrainAsync()).Number);

        var error = await Assert.ThrowsAsync<LynqException>(() => bed.Commands.RollbackAsync("someone"));

        Assert.Contains("first version promoted", error.Message, StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Infrastructure.Tests.Promotion;

/// <summary>
/// Each way S3 can fail a promotion, injected by the proxy in front of the real server. In every case the pointer
/// and the registry's production version stay as they were, the record carries the S3 code and plain words,
/// nothing this attempt uploaded is left for readers, and a retry works once the fault is gone.
/// </summary>
public sealed class PromotionFailureTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>
{
    private const string Pointer = PromotionLayout.DefaultPointerKey;

    [Fact]
    public async Task MissingBucket_FailsPreflightWithNoSuchBucket_AndWritesNothing()
    {
        await using var bed = await PromotionBed.CreateAsync(server, createBucket: false);
        var v1 = await bed.TrainAsync();

        var promotion = await bed.PromoteAsync(v1.Number);

        Assert.Equal((PromotionStatus.Failed, "NoSuchBucket"), (promotion.Status, promotion.ErrorCode));
        var reachable = promotion.Checks.Single(c => c.Name == PromotionPreflight.Reachable);
        Assert.False(reachable.Passed);
        Assert.Contains($"The bucket '{bed.Bucket}' does not exist", reachable.Detail, StringComparison.Ordinal);
        Assert.Contains("Lynq:Promotion:Bucket", promotion.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(bed.Proxy.Requests, r => r.Method is "PUT" or "POST");
        Assert.Equal(VersionStatus.Ready, await bed.StatusOfAsync(1));
        Assert.Equal("promotion.failed", (await bed.Promotions.ListAsync(take: 1))[0].Action);
    }

    [Fact]
    public async Task AccessDeniedOnTheSecondObject_DeletesTheFirst_KeepsThePointer_AndARetrySucceeds()
    {
        await using var bed = await PromotionBed.CreateAsync(server);
        var v1 = await bed.TrainAsync(seed: 4);
        var v2 = await bed.TrainAsync(seed: 5);
        await bed.PromoteAsync(v1.Number);
        var pointerBefore = await bed.ShaAsync(Pointer);
        bed.Proxy.Inject(new S3Fault.Answer("PUT", "credit_model_v2_config.json", 403, "AccessDenied", "Access Denied"));

        var failed = await bed.PromoteAsync(v2.Number);

        Assert.Equal((PromotionStatus.Failed, "AccessDenied"), (failed.Status, failed.ErrorCode));
        Assert.Contains("s3:PutObject", failed.Error, StringComparison.Ordinal);
        Assert.Contains("were deleted", failed.Error, StringComparison.Ordinal);
        Assert.Null(await bed.ShaAsync("models/credit_model_v2.zip"));
        Assert.Null(await bed.ShaAsync("models/credit_model_v2_manifest.json"));
        Assert.Equal(pointerBefore, await bed.ShaAsync(Pointer));
        Assert.Equal((VersionStatus.Production, VersionStatus.Ready), (await bed.StatusOfAsync(1), await bed.StatusOfAsync(2)));

        bed.Proxy.ClearFaults();
        var retried = await bed.Commands.RetryAsync(failed.Id, "risk.lead@lynq.test");
        await bed.Workflow.RunAsync(retried.Id, CancellationToken.None);

        Assert.Equal(PromotionStatus.Succeeded, (await bed.Promotions.GetPromotionAsync(retried.Id))!.Status);
        Assert.Equal((VersionStatus.Archived, VersionStatus.Production), (await bed.StatusOfAsync(1), await bed.StatusOfAsync(2)));
        Assert.Equal(PromotionStatus.Failed, (await bed.Promotions.GetPromotionAsync(failed.Id))!.Status); // history keeps the failure
    }

    [Fact]
    public async Task WrongRegion_NamesTheBucketsRegion()
    {
        await using var bed = await PromotionBed.CreateAsync(server);
        var v1 = await bed.TrainAsync();
        bed.Proxy.Inject(new S3Fault.Answer(null, bed.Bucket, 400, "AuthorizationHeaderMalformed",
            "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'", "<Region>eu-west-1</Region>"));

        var promotion = await bed.PromoteAsync(v1.Number);

        Assert.Equal(PromotionStatus.Failed, promotion.Status);
        Assert.NotEqual(ObjectStoreException.PreflightFailed, promotion.ErrorCode);
        Assert.Contains("eu-west-1", promotion.Error, StringComparison.Ordinal);
        Assert.Contains("Lynq:S3:Region", promotion.Error, StringComparison.Ordinal);
        Assert.Equal(VersionStatus.Ready, await bed.StatusOfAsync(1));
    }

    [Fact]
    public async Task WrongRegionOnAWrite_ReportsAuthorizationHeaderMalformed_WithTheRegion()
    {
        await using var bed = await PromotionBed.CreateAsync(server);
        var v1 = await bed.TrainAsync();
        bed.Proxy.Inject(new S3Fault.Answer("PUT", "credit_model_v1.zip", 400, "AuthorizationHeaderMalformed",
            "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'", "<Region>eu-west-1</Region>"));

        var promotion = await bed.PromoteAsync(v1.Number);

        Assert.Equal((PromotionStatus.Failed, "AuthorizationHeaderMalformed"), (promotion.Status, promotion.ErrorCode));
        Assert.Contains("is in region eu-west-1", promotion.Error, StringComparison.Ordinal);
        Assert.Null(await bed.ShaAsync(Pointer));
    }

    [Fact]
    public async Task EndpointUnreachable_FailsPreflightAndSaysWhichEndpoint()
    {
        await using var bed = await PromotionBed.CreateAsync(server, maxRetries: 1);
        var v1 = await bed.TrainAsync();
        await bed.Proxy.StopAsync();

        var promotion = await bed.PromoteAsync(v1.Number);

        Assert.Equal((PromotionStatus.Failed, "EndpointUnreachable"), (promotion.Status, promotion.ErrorCode));
        Assert.Contains(bed.Proxy.Url, promotion.Error, StringComparison.Ordinal);
        Assert.Equal(VersionStatus.Ready, await bed.StatusOfAsync(1));
    }

    [Fact]
    public async Task EndpointStopsMidUpload_FailsWithoutAPointerOrAManifest_AndTheVersionStaysReady()
    {
        await using var bed = await PromotionBed.CreateAsync(server, maxRetries: 1);
        var v1 = await bed.TrainAsync();
        bed.Proxy.Inject(new S3Fault.DropAfter("PUT", "credit_model_v1.zip", 4_096, ThenStop: true));

        var promotion = await bed.PromoteAsync(v1.Number);

        Assert.Equal(PromotionStatus.Failed, promotion.Status);
        Assert.Contains(promotion.ErrorCode, new[] { "ConnectionLost", "EndpointUnreachable" });
        Assert.Contains("The production pointer was not changed", promotion.Error, StringComparison.Ordinal);
        Assert.Null(await bed.ShaAsync("models/credit_model_v1.zip"));
        Assert.Null(await bed.ShaAsync("models/credit_model_v1_manifest.json"));
        Assert.Null(await bed.ShaAsync(Pointer));
        Assert.Equal(VersionStatus.Ready, await bed.StatusOfAsync(1));
    }

    [Fact]
    public async Task Timeout_IsReportedAsTimeoutWithinTheRetryBudget()
    {
        await using var bed = await PromotionBed.CreateAsync(server, timeout: TimeSpan.FromSeconds(1), maxRetries: 1);
        var v1 = await bed.TrainAsync();
        bed.Proxy.Inject(new S3Fault.Hang("PUT", "credit_model_v1.zip"));
        var clock = Stopwatch.StartNew();

        var promotion = await bed.PromoteAsync(v1.Number);

        Assert.Equal((PromotionStatus.Failed, "Timeout"), (promotion.Status, promotion.ErrorCode));
        Assert.Contains("did not answer within 1 s", promotion.Error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(2, bed.Proxy.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("credit_model_v1.zip", StringComparison.Ordinal)));
        Assert.Null(await bed.ShaAsync(Pointer));
    }

    [Theory]
    [InlineData(false, "whose checksum differs from the one S3 stored")] // the SDK's CRC check sees it first
    [InlineData(true, "but the registry holds")] // a server that keeps no checksums: only the SHA-256 read-back can
    public async Task ChecksumMismatchOnReadBack_DeletesBothObjects_AndWritesNoManifest(bool stripChecksums, string caughtBy)
    {
        await using var bed = await PromotionBed.CreateAsync(server);
        var v1 = await bed.TrainAsync();
        bed.Proxy.Inject(new S3Fault.CorruptBody("GET", "credit_model_v1.zip", stripChecksums));

        var promotion = await bed.PromoteAsync(v1.Number);

        Assert.Equal((PromotionStatus.Failed, ObjectStoreException.ChecksumMismatch), (promotion.Status, promotion.ErrorCode));
        Assert.True(promotion.Error!.Contains(caughtBy, StringComparison.Ordinal), promotion.Error);
        Assert.Contains("were deleted", promotion.Error, StringComparison.Ordinal);
        Assert.Equal([], await bed.KeysAsync());
        Assert.Equal(VersionStatus.Ready, await bed.StatusOfAsync(1));
    }

    [Fact]
    public async Task TransientSlowDown_IsRetriedWithBackoff_AndThePromotionSucceeds()
    {
        await using var bed = await PromotionBed.CreateAsync(server, maxRetries: 3);
        var v1 = await bed.TrainAsync();
        bed.Proxy.Inject(new S3Fault.Answer("PUT", "credit_model_v1.zip", 503, "SlowDown", "Please reduce your request rate.") { Times = 2 });

        var promotion = await bed.PromoteAsync(v1.Number);

        Assert.Equal(PromotionStatus.Succeeded, promotion.Status);
        Assert.Equal(3, bed.Proxy.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("credit_model_v1.zip", StringComparison.Ordinal)));
        Assert.Equal(PromotionBed.RegistrySha(v1, Core.Artifacts.ModelArtifacts.ModelFile), await bed.ShaAsync("models/credit_model_v1.zip"));
    }

    [Fact]
    public async Task PersistentServerErrors_GiveUpAfterTheRetryBudget_WithTheCode()
    {
        await using var bed = await PromotionBed.CreateAsync(server, maxRetries: 2);
        var v1 = await bed.TrainAsync();
        bed.Proxy.Inject(new S3Fault.Answer("PUT", "credit_model_v1.zip", 503, "SlowDown", "Please reduce your request rate."));

        var promotion = await bed.PromoteAsync(v1.Number);

        Assert.Equal((PromotionStatus.Failed, "SlowDown"), (promotion.Status, promotion.ErrorCode));
        Assert.Contains("after 3 attempts", promotion.Error, StringComparison.Ordinal);
        Assert.Equal(3, bed.Proxy.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("credit_model_v1.zip", StringComparison.Ordinal)));
    }
}

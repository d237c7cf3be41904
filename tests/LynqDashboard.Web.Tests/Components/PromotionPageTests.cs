using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Components.Controls;
using LynqDashboard.Web.Components.Pages;
using LynqDashboard.Web.Tests.Shared;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>The Promotions page and the version's deployment card over in-memory records and bucket.</summary>
public sealed class PromotionPageTests : ComponentTest
{
    [Fact]
    public void Promotions_WithNoBucket_ProductionIsTheRegistrys_AndThePageSaysWhichSettingAddsS3()
    {
        Target = new PromotionTarget(null);

        var cut = Render<Promotions>();

        var off = cut.WaitForElement("[data-testid=promotion-off]").TextContent;
        Assert.Contains("Lynq:Promotion:Bucket", off, StringComparison.Ordinal);
        Assert.Contains("LYNQ_PROMOTION_BUCKET", off, StringComparison.Ordinal);
        Assert.Contains("never typed or shown here", off, StringComparison.Ordinal);
        Assert.Contains("Production in the registry", cut.Find("[data-testid=production-card]").TextContent, StringComparison.Ordinal);
        Assert.Contains("answers from the rule-based fallback", cut.Find("[data-testid=production-none]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promotions_ShowsProductionFromTheBucket_HistoryWithErrorCodes_AndTheRollbackTarget()
    {
        var v1 = await AddVersionAsync(1, VersionStatus.Archived);
        var v2 = await AddVersionAsync(2, VersionStatus.Production);
        await AddVersionAsync(3, VersionStatus.Ready);
        Promotions.Records.Add(Succeeded(v1, previous: null, minutesAgo: 30));
        Promotions.Records.Add(Succeeded(v2, previous: 1, minutesAgo: 20));
        Promotions.Records.Add(new PromotionRecord
        {
            Kind = PromotionKind.Promote, VersionId = Guid.NewGuid(), VersionNumber = 3, Bucket = "lynq-models", KeyPrefix = "models/credit_model_v3",
            PointerKey = PromotionLayout.DefaultPointerKey, RequestedBy = "ana@lynq.test", Status = PromotionStatus.Failed, ErrorCode = "AccessDenied",
            Error = "The AWS credentials in use may not do this.", CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            Checks = [new PreflightCheck(PromotionPreflight.Writable, false, "S3 refused writing a test object.", "AccessDenied")],
        });
        await Promotions.AppendAsync(new AuditEvent { At = DateTimeOffset.UtcNow, Actor = "ana@lynq.test", Action = "promotion.failed", Subject = "v3", Detail = "[AccessDenied]" });
        var sha = new string('a', 64);
        Stores.PutJson("models/credit_model_v2_manifest.json", new PromotionManifest("2", [new ManifestObject("models/credit_model_v2.zip", PromotionManifest.ModelRole, sha, 131_072)], DateTimeOffset.UtcNow, "ana@lynq.test", "v2"));
        Stores.PutJson(PromotionLayout.DefaultPointerKey, new ProductionPointer("models/credit_model_v2_manifest.json", "2", DateTimeOffset.UtcNow));

        var cut = Render<Promotions>();

        cut.WaitForAssertion(() => Assert.Equal("v2", cut.Find("[data-testid=production-version]").TextContent));
        Assert.Contains("models/credit_model_v2.zip", cut.Find("[data-testid=manifest-objects]").TextContent, StringComparison.Ordinal);
        Assert.Contains("128.0 KiB", cut.Find("[data-testid=manifest-objects]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Roll back to v1", cut.Find("[data-testid=rollback]").TextContent, StringComparison.Ordinal);
        Assert.Equal("AccessDenied", cut.Find("[data-testid=error-code]").TextContent);
        Assert.Contains("promotion.failed", cut.Find("[data-testid=audit-log]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=out-of-step]"));

        var details = cut.FindAll("[data-testid=promotion-history] button").First(b => b.TextContent == "Details");
        await cut.InvokeAsync(() => details.Click());
        Assert.Contains("S3 refused writing a test object.", cut.Find("[data-testid=promotion-checks]").TextContent, StringComparison.Ordinal);
        Assert.Equal("false", cut.Find("[data-check='Bucket writable']").GetAttribute("data-passed"));
    }

    [Fact]
    public async Task Promotions_BucketUnreadable_ShowsTheCodeAndStillTheHistory()
    {
        var v1 = await AddVersionAsync(1, VersionStatus.Production);
        Promotions.Records.Add(Succeeded(v1, previous: null, minutesAgo: 3));
        Stores.Failure = new ObjectStoreException("NoSuchBucket", "The bucket 'lynq-models' does not exist.");

        var cut = Render<Promotions>();

        cut.WaitForAssertion(() => Assert.Contains("[NoSuchBucket]", cut.Find("[data-testid=bucket-problem]").TextContent, StringComparison.Ordinal));
        Assert.Contains("promotion of v1", cut.Find("[data-testid=promotion-history]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promotions_PointerAndRegistryDisagree_WarnsAndSaysWhatToDo()
    {
        await AddVersionAsync(1, VersionStatus.Production);
        Stores.PutJson("models/credit_model_v2_manifest.json", new PromotionManifest("2", [], DateTimeOffset.UtcNow, "someone", null));
        Stores.PutJson(PromotionLayout.DefaultPointerKey, new ProductionPointer("models/credit_model_v2_manifest.json", "2", DateTimeOffset.UtcNow));

        var cut = Render<Promotions>();

        cut.WaitForAssertion(() => Assert.Contains("The bucket serves v2 but the registry marks v1", cut.Find("[data-testid=out-of-step]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Promotions_AFlaggedVersion_AsksForAWrittenReason()
    {
        await AddVersionAsync(1, VersionStatus.Ready, leakage: "reputation_score");

        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("version", 1));
        var cut = Render<Promotions>();

        cut.WaitForElement("[data-testid=leakage-reason]");
        Assert.Contains("reputation_score", cut.Find("[data-check='Leakage']").TextContent, StringComparison.Ordinal);
        Assert.Contains("needs a written reason", cut.Find("[data-check='Leakage']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskForApproval_StoresTheRequestWithItsReview_QueuesNothing_AndTheRequesterCannotApproveIt()
    {
        await AddVersionAsync(4, VersionStatus.Ready);
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("version", 4));
        var cut = Render<Promotions>();
        cut.WaitForElement("[data-testid=promotion-review]");
        cut.Find("[data-testid=request-comment]").Input("best calibration so far");

        // This version's folder holds no files, so its monotonicity was not measured: the review asks for a reason.
        Assert.Equal("false", cut.Find("[data-check='Monotonicity']").GetAttribute("data-passed"));
        cut.Find("[data-testid=monotonicity-reason]").Input("Not measured for this hand-made record; accepted for the test");

        await cut.InvokeAsync(() => cut.Find("[data-testid=promote]").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Ask for v4 to go to production?", dialogs.Markup, StringComparison.Ordinal));
        var yes = dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Ask for approval");
        await dialogs.InvokeAsync(() => yes.Click());

        cut.WaitForAssertion(() => Assert.Single(Requests.Records));
        var request = Requests.Records[0];
        Assert.Equal((4, "tester@lynq.test", "best calibration so far", PromotionRequestStatusPending), (request.VersionNumber, request.RequestedBy, request.Comment, request.Status.ToString()));
        Assert.Empty(Promotions.Records);
        Assert.Empty(Scheduler.Queued);
        Assert.Equal(LynqDashboard.Core.Governance.PromotionRequests.Requested, Promotions.Audit.Single().Action);
        cut.WaitForAssertion(() => Assert.Equal("Pending", cut.Find("[data-testid=promotion-request]").GetAttribute("data-status")));
        Assert.True(cut.Find("[data-testid=approve]").HasAttribute("disabled"));
        Assert.Contains("a different Approver must approve it", cut.Find("[data-testid=approve-not-you]").TextContent, StringComparison.Ordinal);
    }

    private const string PromotionRequestStatusPending = "Pending";

    [Fact]
    public async Task VersionDeployment_InProduction_SaysWhereAndSince()
    {
        var v = await AddVersionAsync(5, VersionStatus.Production);
        var record = Succeeded(v, previous: 4, minutesAgo: 1);

        var cut = Render<VersionDeployment>(p => p.Add(c => c.Version, v).Add(c => c.Promotions, [record]).Add(c => c.Target, Target));

        var text = cut.Find("[data-testid=deployed-where]").TextContent;
        Assert.Contains("In production in s3://lynq-models", text, StringComparison.Ordinal);
        Assert.Contains("models/credit_model_v5_manifest.json", text, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=promote-version-link]"));
    }

    [Fact]
    public async Task VersionDeployment_InProductionWithoutABucket_SaysTheRegistryServesIt()
    {
        Target = new PromotionTarget(null);
        var v = await AddVersionAsync(7, VersionStatus.Production);
        var record = Succeeded(v, previous: null, minutesAgo: 1);
        record.Bucket = string.Empty;

        var cut = Render<VersionDeployment>(p => p.Add(c => c.Version, v).Add(c => c.Promotions, [record]).Add(c => c.Target, Target));

        var text = cut.Find("[data-testid=deployed-where]").TextContent;
        Assert.Contains("In production in the registry", text, StringComparison.Ordinal);
        Assert.Contains("MODEL_SOURCE=local", text, StringComparison.Ordinal);
        Assert.DoesNotContain("s3://", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionDeployment_Ready_OffersPromotion()
    {
        var v = await AddVersionAsync(6, VersionStatus.Ready);

        var cut = Render<VersionDeployment>(p => p.Add(c => c.Version, v).Add(c => c.Promotions, []).Add(c => c.Target, Target).Add(c => c.CanPromote, true));

        Assert.Equal("/promotions?version=6", cut.Find("[data-testid=promote-version-link]").GetAttribute("href"));
        Assert.Contains("Not deployed", cut.Find("[data-testid=deployed-where]").TextContent, StringComparison.Ordinal);
    }

    private async Task<ModelVersionRecord> AddVersionAsync(int number, VersionStatus status, string leakage = "")
    {
        var version = new ModelVersionRecord { Parameters = new TrainingParameters(), Status = status, RocAuc = 0.85, CalibrationError = 0.01, LeakageSuspects = leakage, ArtifactDirectory = $"models/v{number}" };
        while (Registry.Versions.Count < number - 1)
        {
            await Registry.AddVersionAsync(new ModelVersionRecord { Parameters = new TrainingParameters(), Status = VersionStatus.Failed });
        }

        return await Registry.AddVersionAsync(version);
    }

    private static PromotionRecord Succeeded(ModelVersionRecord v, int? previous, int minutesAgo) => new()
    {
        Kind = PromotionKind.Promote, VersionId = v.Id, VersionNumber = v.Number, PreviousVersionNumber = previous, Bucket = "lynq-models",
        KeyPrefix = $"models/credit_model_v{v.Number}", PointerKey = PromotionLayout.DefaultPointerKey, ManifestKey = $"models/credit_model_v{v.Number}_manifest.json",
        RequestedBy = "ana@lynq.test", Status = PromotionStatus.Succeeded, CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-minutesAgo),
        StartedAt = DateTimeOffset.UtcNow.AddMinutes(-minutesAgo), FinishedAt = DateTimeOffset.UtcNow.AddMinutes(-minutesAgo).AddSeconds(2),
    };
}

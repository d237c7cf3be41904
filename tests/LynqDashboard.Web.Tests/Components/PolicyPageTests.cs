using Bunit;
using LynqDashboard.Core;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Components.Pages;
using LynqDashboard.Web.Security;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>
/// The Policy page on ten hand-made test rows (PD, defaulted) without features, so only the bands decide and each
/// approved row lends $1. Under the default policy (approve below 10 %, review 10–20 %): rows 1–6 approved (60 %), 2 of
/// them defaulted (33.33 %), rows 7–8 reviewed, expected loss 0.235 ÷ 6 = 3.92 %.
/// </summary>
public sealed class PolicyPageTests : ComponentTest
{
    private static readonly (double Pd, bool Defaulted)[] Rows =
    [
        (0.01, false), (0.015, false), (0.03, false), (0.04, true), (0.06, false),
        (0.08, true), (0.12, false), (0.15, true), (0.25, true), (0.40, true),
    ];

    [Fact]
    public async Task TradeOff_ForAVersionWithKnownTestRows_ShowsTheActivePolicysOutcome()
    {
        await SeedAsync();
        await AddVersionWithRowsAsync();

        var cut = Render<Policy>();

        cut.WaitForAssertion(() => Assert.Equal("60.0 %", cut.Find("[data-testid=before-approval_rate]").TextContent));
        Assert.Equal("33.33 %", cut.Find("[data-testid=before-bad_rate]").TextContent);
        Assert.Equal("3.92 %", cut.Find("[data-testid=before-expected_loss_rate]").TextContent);
        Assert.Equal("2", cut.Find("[data-testid=before-manual_reviews]").TextContent);
        Assert.Contains("10 held-out applications; 50.0 % of them defaulted", cut.Find("[data-testid=tradeoff]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-testid=no-features]"));
        Assert.Equal("v2", cut.Find("[data-testid=active-version]").TextContent);

        // The curve plus the current cutoff marked, on both charts.
        Assert.Single(cut.Find("[data-testid=chart-bad-rate] svg").QuerySelectorAll("path.xy-marker"));
        Assert.Single(cut.Find("[data-testid=chart-expected-loss] svg").QuerySelectorAll("path.xy-marker"));
        Assert.Equal(["v2", "v1"], cut.FindAll("[data-testid=policy-history] tbody tr td:first-child").Select(td => td.TextContent.Trim()[..2]));
    }

    [Fact]
    public async Task TargetBadRate_20Percent_ProposesDeclineFrom8Percent_AndShowsItsEffectBeforeSaving()
    {
        await SeedAsync();
        await AddVersionWithRowsAsync();
        var cut = Render<Policy>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=target-bad-rate]"));

        // In PD order the bad rate among approved is 0, 0, 0, 1/4, 1/5, 2/6…: 1/5 = 20 % is the last at or below 20 %,
        // so the cutoff is the sixth row's PD, 8 %.
        cut.Find("[data-testid=target-bad-rate]").Input("20");

        cut.WaitForAssertion(() => Assert.Contains("decline from PD 8.00 %", cut.Find("[data-testid=proposed-cutoff]").TextContent, StringComparison.Ordinal));
        Assert.Equal("50.0 %", cut.Find("[data-testid=after-approval_rate]").TextContent);
        Assert.Equal("20.00 %", cut.Find("[data-testid=after-bad_rate]").TextContent);
        Assert.Equal("3", cut.Find("[data-testid=after-manual_reviews]").TextContent);
        Assert.Equal("−10.00 pp", cut.Find("[data-testid=change-approval_rate]").TextContent);
        Assert.Equal(2, cut.Find("[data-testid=chart-bad-rate] svg").QuerySelectorAll("path.xy-marker").Length);
        Assert.Equal(2, ActivePolicy.Current.Version); // nothing saved yet
    }

    [Fact]
    public async Task TargetApprovalRate_70Percent_ProposesDeclineFromTheEighthRowsPd()
    {
        await SeedAsync();
        await AddVersionWithRowsAsync();
        var cut = Render<Policy>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=target-approval]"));

        // 70 % of 10 rows = the 7 lowest PDs; the cutoff is the eighth's, 15 %, which fits between LOW (5 %) and HIGH (20 %).
        cut.Find("[data-testid=target-approval]").Input("70");

        cut.WaitForAssertion(() => Assert.Contains("decline from PD 15.00 %", cut.Find("[data-testid=proposed-cutoff]").TextContent, StringComparison.Ordinal));
        Assert.Equal("70.0 %", cut.Find("[data-testid=after-approval_rate]").TextContent);
        Assert.Equal("28.57 %", cut.Find("[data-testid=after-bad_rate]").TextContent); // rows 4 and 6 of 7
        Assert.Equal("1", cut.Find("[data-testid=after-manual_reviews]").TextContent); // row 8 (15 %) alone in 15–20 %
        Assert.Equal(["2", "5", "15", "20"], cut.FindAll("[data-testid^=upper-]").Select(i => i.GetAttribute("value")));
    }

    [Fact]
    public async Task Save_AsApprover_StoresV3_SwapsTheActivePolicy_AndTheNextAnswerCarriesIt()
    {
        SignInAs(LynqRoles.Approver);
        await SeedAsync();
        await AddVersionWithRowsAsync();
        var cut = Render<Policy>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=target-bad-rate]"));
        cut.Find("[data-testid=target-bad-rate]").Input("20");
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=save-policy]").HasAttribute("disabled")));
        cut.Find("[data-testid=policy-note]").Change("tighter after Q3");

        cut.Find("[data-testid=save-policy]").Click();

        cut.WaitForAssertion(() => Assert.Equal("v3", cut.Find("[data-testid=active-version]").TextContent));
        var saved = Assert.Single(Policies.Records, r => r.Version == 3);
        Assert.Equal(("tester@lynq.test", "tighter after Q3"), (saved.CreatedBy, saved.Note));

        // The sixth row's PD exactly (0.08 as a float), so that row stays declined as it would be when scored.
        Assert.Equal((double)0.08f, saved.ToPolicy().DeclineCutoff);
        Assert.Equal((3, (double)0.08f), (ActivePolicy.Current.Version, ActivePolicy.Current.DeclineCutoff));
        Assert.Contains(Promotions.Audit, e => e is { Action: "policy.saved", Subject: "policy v3", Actor: "tester@lynq.test" });
        var answer = Services.GetRequiredService<CreditScorer>().Score(LoanApplication.Example, model: null);
        Assert.Equal(3, answer.PolicyVersion);
        Assert.NotNull(cut.Find("[data-testid=policy-v3]"));
    }

    [Fact]
    public async Task Viewer_SeesNoSaveButton_AndTheActionRefusesThem()
    {
        SignInAs(LynqRoles.Viewer);
        await SeedAsync();
        await AddVersionWithRowsAsync();

        var cut = Render<Policy>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=save-needs-approver]"));
        Assert.Empty(cut.FindAll("[data-testid=save-policy]"));
        var refused = await Assert.ThrowsAsync<LynqException>(() => Services.GetRequiredService<DashboardActions>().SavePolicyAsync(RiskPolicy.Default.WithDeclineCutoff(0.05), "x"));
        Assert.Equal(ProblemKind.Forbidden, refused.Kind);
        Assert.Equal(2, Policies.Records.Count);
        Assert.Equal(2, ActivePolicy.Current.Version);
    }

    [Fact]
    public async Task BandBound_OutOfOrder_IsShownOnItsField_AndCannotBeSaved()
    {
        SignInAs(LynqRoles.Approver);
        await SeedAsync();
        await AddVersionWithRowsAsync();
        var cut = Render<Policy>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=upper-2]"));

        cut.Find("[data-testid=upper-2]").Input("4");

        cut.WaitForAssertion(() => Assert.Contains("must be above the previous band's (0.05)", cut.Find("[data-testid=problem-upper-2]").TextContent, StringComparison.Ordinal));
        Assert.True(cut.Find("[data-testid=save-policy]").HasAttribute("disabled"));
        Assert.Equal("–", cut.Find("[data-testid=after-approval_rate]").TextContent);
    }

    [Fact]
    public async Task NoVersionWithTestRows_SaysSoPlainly_AndStillShowsTheBands()
    {
        await SeedAsync();

        var cut = Render<Policy>();

        cut.WaitForAssertion(() => Assert.Contains("No model version is in production or Ready yet", cut.Find("[data-testid=no-tradeoff]").TextContent, StringComparison.Ordinal));
        Assert.Equal(5, cut.FindAll("[data-testid=bands] tbody tr").Count);
        Assert.Empty(cut.FindAll("[data-testid=tradeoff]"));
    }

    private Task SeedAsync() => Policies.SeedAsync(RiskPolicy.LynqOriginal, RiskPolicy.Default);

    private async Task AddVersionWithRowsAsync()
    {
        var folder = Data.VersionFolder(1);
        Directory.CreateDirectory(folder);
        await File.WriteAllLinesAsync(Path.Combine(folder, Core.Artifacts.ModelArtifacts.TestPredictionsFile),
            ["probability,default_event", .. Rows.Select(r => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{r.Pd},{(r.Defaulted ? 1 : 0)}"))]);
        await Registry.AddVersionAsync(new ModelVersionRecord
        {
            DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), Status = VersionStatus.Ready, ArtifactDirectory = Data.Relative(folder),
        });
    }
}

using System.Globalization;
using Bunit;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Components.Pages;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>The version page's headline cards replay the active policy on 13 hand-written test rows.</summary>
public sealed class VersionPolicyTests : ComponentTest
{
    // Reading a version's files and loading its model on two shared, busy cores can take seconds, not bUnit's default one.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly Lazy<TrainedModel> Trained = new(() =>
        new ModelTrainer().Train(LoanDataset.From(new DatasetGenerator(new DatasetParameters(4_000, 3)).Rows().ToList()), new TrainingParameters(Trees: 10)));

    // PD and outcome of each row. Under the default policy (approve PD < 10 %, manual review from 10 %, reject from 20 %)
    // rows 1–8 are approved (one of them, PD 7 %, defaulted), 12 %, 14 % and 15 % go to a manual review, 30 % and 50 % are
    // rejected; 4 of the 13 rows defaulted.
    internal static readonly (float Pd, bool Defaulted)[] Rows =
    [
        (0.01f, false), (0.02f, false), (0.03f, false), (0.04f, false), (0.05f, false), (0.06f, false), (0.07f, true), (0.08f, false),
        (0.12f, false), (0.14f, false), (0.15f, true), (0.30f, true), (0.50f, true),
    ];

    // Approves PD below 5 %; everything up to 20 % goes to a manual review.
    private static readonly RiskPolicy Strict = RiskPolicy.Default with
    {
        Name = "strict",
        Version = 3,
        Bands =
        [
            new(RiskLevel.VERY_LOW, 0.02, RecommendedAction.APPROVE, 0, 1.0),
            new(RiskLevel.LOW, 0.05, RecommendedAction.APPROVE, 2, 1.0),
            new(RiskLevel.MEDIUM, 0.10, RecommendedAction.MANUAL_REVIEW, 5, 0.75),
            new(RiskLevel.HIGH, 0.20, RecommendedAction.MANUAL_REVIEW, 10, 0.5),
            new(RiskLevel.VERY_HIGH, 1.00, RecommendedAction.REJECT, 15, 0.5),
        ],
    };

    [Fact]
    public async Task VersionPage_ReadyVersion_HeaderLinksToBothDocumentationPackFiles()
    {
        await AddReadyVersionAsync(withFeatures: true);

        var cut = Render<ModelVersion>(p => p.Add(c => c.Number, 1));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=report-pdf]")), Patience);
        Assert.Equal($"/downloads/models/1/{IModelReports.PdfFile}", cut.Find("[data-testid=report-pdf]").GetAttribute("href"));
        Assert.Equal($"/downloads/models/1/{IModelReports.HtmlFile}", cut.Find("[data-testid=report-html]").GetAttribute("href"));
    }

    [Fact]
    public async Task VersionPage_DefaultPolicy_CardsShowApprovalBadRateAndLossAtThePolicysCutoff()
    {
        await AddReadyVersionAsync(withFeatures: true);

        var cut = Render<ModelVersion>(p => p.Add(c => c.Number, 1));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=policy-cards]")), Patience);
        // 8 of 13 approved; 1 of the 8 defaulted; 4 of 13 in the book; 3 of 13 to review.
        Assert.Equal("61.5 %", Card(cut, "policy_approval_rate"));
        Assert.Equal("12.5 %", Card(cut, "policy_bad_rate"));
        Assert.Contains("approve everyone: 30.8 %", Hint(cut, "policy_bad_rate"), StringComparison.Ordinal);
        Assert.Equal("23.1 %", Card(cut, "policy_manual_review"));
        // Each approved loan lends 1,000 USD: expected loss 1,000 × (0.01 + … + 0.08) = 360 USD of 8,000 USD.
        Assert.Equal("360 USD", Card(cut, "policy_expected_loss"));
        Assert.Contains("4.50 % of 8,000 USD approved", Hint(cut, "policy_expected_loss"), StringComparison.Ordinal);
        // Declined (PD ≥ 10 %): 3 defaults and 2 repaid; 1 default approved; 7 repaid approved.
        Assert.Equal("60.0 %", Card(cut, "policy_precision"));
        Assert.Equal("75.0 %", Card(cut, "policy_recall"));
        Assert.Equal("0.667", Card(cut, "policy_f1"));
        Assert.Equal("0.769", Card(cut, "policy_accuracy"));
        Assert.Contains("approve everyone: 0.692", Hint(cut, "policy_accuracy"), StringComparison.Ordinal);
        Assert.All(cut.FindAll("[data-testid=policy-cards] .metric-card"), card =>
            Assert.Contains("at the policy's cutoff PD < 10.0 % (policy v2 calibrated-pd)", card.TextContent, StringComparison.Ordinal));
        Assert.Contains("policy v2 calibrated-pd approves PD below 10.0 %; manual review from 10.0 %; rejected from 20.0 %", cut.Find("[data-testid=policy-rule]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("0.50 is declined", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=policy-pd-only]"));

        // The slider starts at the policy's cutoff and marks it; the ROC chart still draws the validation pack.
        Assert.Equal("10.0 %", cut.Find("[data-testid=threshold-value]").TextContent);
        Assert.Equal("▲ policy v2 calibrated-pd: 10.0 %", cut.Find("[data-testid=threshold-policy-mark]").TextContent);
        Assert.Equal("3", cut.Find("[data-testid=cm-tp]").TextContent);
        Assert.Equal("1", cut.Find("[data-testid=cm-fn]").TextContent);
        Assert.NotEmpty(cut.Find("[data-testid=chart-roc]").QuerySelectorAll("svg path"));
        Assert.Empty(cut.FindAll("[data-testid=metric-f1_card]"));
    }

    [Fact]
    public async Task VersionPage_AfterAStricterPolicyIsSwappedIn_CardsFollowItOnReload()
    {
        await AddReadyVersionAsync(withFeatures: true);
        var before = Render<ModelVersion>(p => p.Add(c => c.Number, 1));
        before.WaitForAssertion(() => Assert.Equal("61.5 %", Card(before, "policy_approval_rate")), Patience);

        Services.GetRequiredService<ActivePolicy>().Swap(Strict);
        var cut = Render<ModelVersion>(p => p.Add(c => c.Number, 1));

        cut.WaitForAssertion(() => Assert.Equal("30.8 %", Card(cut, "policy_approval_rate")), Patience);
        // PD below 5 %: 4 rows, none defaulted; 7 rows between 5 % and 20 % to review.
        Assert.Equal("0.0 %", Card(cut, "policy_bad_rate"));
        Assert.Equal("53.8 %", Card(cut, "policy_manual_review"));
        // Declined (PD ≥ 5 %): all 4 defaults and 5 repaid.
        Assert.Equal("44.4 %", Card(cut, "policy_precision"));
        Assert.Equal("100.0 %", Card(cut, "policy_recall"));
        Assert.Equal("0.615", Card(cut, "policy_accuracy"));
        Assert.Contains("at the policy's cutoff PD < 5.0 % (policy v3 strict)", Hint(cut, "policy_accuracy"), StringComparison.Ordinal);
        Assert.Equal("5.0 %", cut.Find("[data-testid=threshold-value]").TextContent);
        Assert.Equal("▲ policy v3 strict: 5.0 %", cut.Find("[data-testid=threshold-policy-mark]").TextContent);
    }

    [Fact]
    public async Task VersionPage_TrainedBeforeFeaturesWereStored_ReplaysThePdCutoffOnly_AndSaysSo()
    {
        await AddReadyVersionAsync(withFeatures: false);

        var cut = Render<ModelVersion>(p => p.Add(c => c.Number, 1));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=policy-pd-only]")), Patience);
        Assert.Contains("hard rules and loan caps are not replayed", cut.Find("[data-testid=policy-pd-only]").TextContent, StringComparison.Ordinal);
        Assert.Equal("61.5 %", Card(cut, "policy_approval_rate"));
        Assert.Equal("12.5 %", Card(cut, "policy_bad_rate"));
        // No amounts: the mean PD of the approved, (0.01 + … + 0.08) ÷ 8.
        Assert.Equal("4.50 %", Card(cut, "policy_expected_loss"));
        // A PD cutoff alone sends nobody to a manual review.
        Assert.Empty(cut.FindAll("[data-testid=metric-policy_manual_review]"));
        Assert.Equal("0.769", Card(cut, "policy_accuracy"));
    }

    [Fact]
    public async Task ThresholdPanel_WithAPolicyCutoff_StartsThereMarksIt_AndGoesBackToIt()
    {
        var explorer = new Web.Model.ThresholdExplorer([.. Rows.Select(r => r.Pd)], [.. Rows.Select(r => r.Defaulted)]);
        var cut = Render<Web.Components.Controls.ThresholdPanel>(p => p.Add(c => c.Explorer, explorer).Add(c => c.PolicyCutoff, 0.10).Add(c => c.PolicyLabel, "policy v2 calibrated-pd"));

        Assert.Equal("10.0 %", cut.Find("[data-testid=threshold-value]").TextContent);
        // (0.10 − 0.01) ÷ (0.99 − 0.01) of the slider's width.
        Assert.Contains("left: 9.18%", cut.Find("[data-testid=threshold-policy-mark]").GetAttribute("style"), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=threshold-reset]"));

        var slider = cut.FindComponent<MudBlazor.MudSlider<double>>();
        await cut.InvokeAsync(() => slider.Instance.ValueChanged.InvokeAsync(0.30));
        // PD below 30 %: 11 of 13 approved, 2 of them defaulted.
        cut.WaitForAssertion(() => Assert.Equal("84.6 %", cut.Find("[data-testid=metric-approval_rate]").TextContent), Patience);
        Assert.Equal("18.2 %", cut.Find("[data-testid=metric-bad_rate]").TextContent);

        await cut.InvokeAsync(() => cut.Find("[data-testid=threshold-reset]").Click());
        cut.WaitForAssertion(() => Assert.Equal("10.0 %", cut.Find("[data-testid=threshold-value]").TextContent), Patience);
        Assert.Equal("61.5 %", cut.Find("[data-testid=metric-approval_rate]").TextContent);
    }

    private static string Card(IRenderedComponent<ModelVersion> cut, string key) => cut.Find($"[data-testid=metric-{key}]").TextContent.Trim();

    private static string Hint(IRenderedComponent<ModelVersion> cut, string key) => cut.Find($"[data-testid=metric-{key}]").ParentElement!.TextContent;

    private async Task AddReadyVersionAsync(bool withFeatures)
    {
        var trained = Trained.Value;
        var folder = Data.VersionFolder(1);
        ModelArtifacts.Write(trained, "1", "t", new DatasetLineage("d.csv", "x", 4_000, null), folder);
        File.WriteAllText(Path.Combine(folder, ModelArtifacts.TestPredictionsFile), PredictionsCsv(Rows, withFeatures));
        await Registry.AddVersionAsync(new ModelVersionRecord
        {
            DatasetId = Guid.NewGuid(), Parameters = trained.Parameters, Status = VersionStatus.Ready, ArtifactDirectory = Data.Relative(folder),
        });
    }

    // Every applicant asks 1,000 USD against 5,000 USD of collateral from a seasoned wallet: no hard rule or loan cap applies.
    internal static string PredictionsCsv(IEnumerable<(float Pd, bool Defaulted)> rows, bool withFeatures)
    {
        var applicant = LoanApplication.Example.With(LoanFeatures.CollateralValueUsd, 5_000);
        var features = string.Join(',', LoanFeatures.All.Select(f => applicant.Get(f).ToString("R", CultureInfo.InvariantCulture)));
        var header = "probability,default_event" + (withFeatures ? "," + string.Join(',', LoanFeatures.Names) : string.Empty);
        return string.Join('\n', [header, .. rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Pd:R},{(r.Defaulted ? 1 : 0)}") + (withFeatures ? "," + features : string.Empty))]) + "\n";
    }
}

using Bunit;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Components.Controls;
using LynqDashboard.Web.Components.Pages;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>One applicant scored by two versions, in two aligned columns with the differences per row.</summary>
public sealed class CompareApplicantTests : ComponentTest
{
    // Reading a version's files and loading its model on two shared, busy cores can take seconds, not bUnit's default one.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // v1: PD 4.12 %, score round(0.9588 × 900 + 100) = 963, APPROVE.
    private static readonly CreditScoreResult First = Answer(0.0412, RiskLevel.LOW, RecommendedAction.APPROVE,
        [new("loan_amount", "negative", 1_000, 0.015), new("reputation_score", "positive", 70, -0.010), new("wallet_age_days", "negative", 365, 0.005)]);

    // v2: PD 6.35 %, score round(0.9365 × 900 + 100) = 943, APPROVE WITH CONDITIONS.
    private static readonly CreditScoreResult Second = Answer(0.0635, RiskLevel.MEDIUM, RecommendedAction.APPROVE_WITH_CONDITIONS,
        [new("reputation_score", "positive", 70, -0.030), new("loan_amount", "negative", 1_000, 0.010), new("defaults", "negative", 0, 0.008)]);

    [Fact]
    public void ApplicantComparison_TwoKnownAnswers_DeltasAreSecondMinusFirst_AndFactorsAlignByFeature()
    {
        var comparison = new ApplicantComparison(First, Second);

        Assert.Equal(0.0223, comparison.PdDelta, 9);
        Assert.Equal(-20, comparison.CreditScoreDelta);
        Assert.True(comparison.ActionDiffers);
        // Largest contribution on either side first: reputation 3.0 pp, loan 1.5 pp, defaults 0.8 pp, wallet age 0.5 pp.
        Assert.Equal(["reputation_score", "loan_amount", "defaults", "wallet_age_days"], comparison.Factors.Select(f => f.Feature));
        Assert.Equal(-0.020, comparison.Factors[0].Delta!.Value, 9);
        Assert.Null(comparison.Factors[2].A);
        Assert.Null(comparison.Factors[3].Delta);
        Assert.False(new ApplicantComparison(First, First).ActionDiffers);
    }

    [Fact]
    public void ApplicantComparisonTable_TwoKnownAnswers_ShowsBothColumnsTheDeltasAndAnAlignedFactorPerRow()
    {
        var cut = Render<ApplicantComparisonTable>(p => p.Add(c => c.Comparison, new ApplicantComparison(First, Second)).Add(c => c.LabelA, "v1").Add(c => c.LabelB, "v2"));

        Assert.Equal(["", "v1", "v2", "Δ (v2 − v1)"], cut.FindAll("[data-testid=compare-answer] th").Select(h => h.TextContent));
        Assert.Equal("4.12 %", cut.Find("[data-testid=answer-a-pd]").TextContent);
        Assert.Equal("6.35 %", cut.Find("[data-testid=answer-b-pd]").TextContent);
        Assert.Equal("+2.23 pp", cut.Find("[data-testid=delta-pd]").TextContent);
        Assert.Equal("963", cut.Find("[data-testid=answer-a-score]").TextContent);
        Assert.Equal("943", cut.Find("[data-testid=answer-b-score]").TextContent);
        Assert.Equal("−20", cut.Find("[data-testid=delta-score]").TextContent);
        Assert.Equal("differs", cut.Find("[data-testid=action-differs]").TextContent);
        Assert.Equal("APPROVE WITH CONDITIONS", cut.Find("[data-testid=answer-b-action]").TextContent);

        var rows = cut.FindAll("[data-testid=compare-factors] tbody tr")
            .Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent).ToArray()).ToList();
        Assert.Equal(
            [
                [Core.Features.LoanFeatures.ReputationScore.Label, "−1.00 pp", "−3.00 pp", "−2.00 pp"],
                [Core.Features.LoanFeatures.LoanAmount.Label, "+1.50 pp", "+1.00 pp", "−0.50 pp"],
                [Core.Features.LoanFeatures.Defaults.Label, "—", "+0.80 pp", "—"],
                [Core.Features.LoanFeatures.WalletAgeDays.Label, "+0.50 pp", "—", "—"],
            ],
            rows);
    }

    [Fact]
    public async Task Compare_TwoReadyVersions_ScoresTheExampleApplicantWithBoth_AndRescoresWhenAFieldChanges()
    {
        var dataset = LoanDataset.From(new DatasetGenerator(new DatasetParameters(4_000, 5)).Rows().ToList());
        foreach (var (number, trees) in new[] { (1, 30), (2, 60) })
        {
            await AddReadyVersionAsync(new ModelTrainer().Train(dataset, new TrainingParameters(Trees: trees)), number, 4_000);
        }

        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("/models/compare?a=1&b=2");
        var cut = Render<Compare>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=compare-answer]")), Patience);
        var expected = await ExpectedAsync(Core.Features.LoanApplication.Example);
        Assert.Equal(DisplayFormat.Points(expected.PdDelta), cut.Find("[data-testid=delta-pd]").TextContent);
        Assert.Equal(expected.B.CreditScore.ToString(System.Globalization.CultureInfo.InvariantCulture), cut.Find("[data-testid=answer-b-score]").TextContent);
        Assert.Equal(expected.ActionDiffers ? "differs" : "same", cut.Find("[data-testid=action-differs]").TextContent);
        var features = cut.FindAll("[data-testid=compare-factors] tbody tr").Select(r => r.GetAttribute("data-feature")).ToList();
        Assert.Equal(expected.Factors.Select(f => f.Feature), features);
        Assert.Equal(features.Count, features.Distinct().Count());
        // The policy rows sit in the metric table beside the ranking ones.
        Assert.NotNull(cut.Find("[data-testid=compare-metrics] tr[data-metric='Bad rate among approved']"));

        // Collateral, the strongest feature: a field every small model splits on (a few 4-leaf trees may never split on the loan).
        var collateral = cut.FindComponents<FeatureField>().Single(f => f.Instance.Spec == Core.Features.LoanFeatures.CollateralValueUsd);
        await cut.InvokeAsync(() => collateral.Instance.ValueChanged.InvokeAsync(100));

        var changed = await ExpectedAsync(Core.Features.LoanApplication.Example.With(Core.Features.LoanFeatures.CollateralValueUsd, 100));
        cut.WaitForAssertion(() => Assert.Equal(DisplayFormat.Percent(changed.A.DefaultProbability, 2), cut.Find("[data-testid=answer-a-pd]").TextContent), Patience);
        Assert.Equal(DisplayFormat.Points(changed.PdDelta), cut.Find("[data-testid=delta-pd]").TextContent);
        Assert.NotEqual(expected.A.DefaultProbability, changed.A.DefaultProbability);
        Directory.Delete(Data.Root, recursive: true);
    }

    [Fact]
    public async Task Compare_AVersionWhoseModelFileIsGone_SaysTheApplicantIsNotScored_InsteadOfFailingThePage()
    {
        var trained = new ModelTrainer().Train(LoanDataset.From(new DatasetGenerator(new DatasetParameters(2_000, 5)).Rows().ToList()), new TrainingParameters(Trees: 3));
        foreach (var number in new[] { 1, 2 })
        {
            await AddReadyVersionAsync(trained, number, 2_000);
        }

        File.Delete(Path.Combine(Data.VersionFolder(2), ModelArtifacts.ModelFile));
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("/models/compare?a=1&b=2");
        var cut = Render<Compare>();

        cut.WaitForAssertion(() => Assert.Contains("could not be read, so the applicant is not scored", cut.Find("[data-testid=compare-model-problem]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Empty(cut.FindAll("[data-testid=compare-answer]"));
        Assert.Contains("ROC-AUC", cut.Find("[data-testid=compare-metrics]").TextContent, StringComparison.Ordinal);
        Directory.Delete(Data.Root, recursive: true);
    }

    [Fact]
    public async Task Compare_PolicyRows_ShowEachVersionsApprovalBadRateAndExpectedLoss_WithTheirDeltas()
    {
        var trained = new ModelTrainer().Train(LoanDataset.From(new DatasetGenerator(new DatasetParameters(2_000, 5)).Rows().ToList()), new TrainingParameters(Trees: 3));
        // v1: the 13 rows of the version page's tests (8 approved, 1 of them defaulted, 360 USD expected on 8,000 USD).
        // v2: PD 1, 3, 5 and 8 % approved (the 5 % one defaulted, 170 USD expected on 4,000 USD), 12 % reviewed, 40 % rejected.
        (float, bool)[] second = [(0.01f, false), (0.03f, false), (0.05f, true), (0.08f, false), (0.12f, true), (0.40f, true)];
        foreach (var (number, rows) in new[] { (1, VersionPolicyTests.Rows), (2, second) })
        {
            var folder = await AddReadyVersionAsync(trained, number, 2_000);
            File.WriteAllText(Path.Combine(folder, ModelArtifacts.TestPredictionsFile), VersionPolicyTests.PredictionsCsv(rows, withFeatures: true));
        }

        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("/models/compare?a=1&b=2");
        var cut = Render<Compare>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=compare-metrics] tr[data-metric='Approval rate']")), Patience);
        string[] Cells(string metric) => [.. cut.Find($"[data-testid=compare-metrics] tr[data-metric='{metric}']").QuerySelectorAll("td").Skip(1).Select(td => td.TextContent)];
        Assert.Equal(["61.54 %", "66.67 %", "+5.13 pp"], Cells("Approval rate"));
        Assert.Equal(["12.50 %", "25.00 %", "+12.50 pp"], Cells("Bad rate among approved"));
        Assert.Equal(["4.50 %", "4.25 %", "−0.25 pp"], Cells("Expected loss (% of approved)"));
        Assert.Contains("mud-error-text", cut.Find("[data-testid=compare-metrics] tr[data-metric='Bad rate among approved'] td:last-child").ClassName, StringComparison.Ordinal);
        Assert.Contains("PD < 10.0 % (policy v2 calibrated-pd)", cut.Find("[data-testid=compare-policy]").TextContent, StringComparison.Ordinal);
        Directory.Delete(Data.Root, recursive: true);
    }

    private async Task<ApplicantComparison> ExpectedAsync(Core.Features.LoanApplication application)
    {
        var (models, scorer) = (Services.GetRequiredService<Web.Scoring.ScoringModels>(), Services.GetRequiredService<CreditScorer>());
        var a = await models.GetAsync(1, Xunit.TestContext.Current.CancellationToken);
        var b = await models.GetAsync(2, Xunit.TestContext.Current.CancellationToken);
        return new ApplicantComparison(scorer.Score(application, a), scorer.Score(application, b));
    }

    private static CreditScoreResult Answer(double pd, RiskLevel level, RecommendedAction action, TopFactor[] factors) => new()
    {
        CreditScore = CreditScorer.CreditScoreFor(pd), FraudScore = 0, AnomalyScore = 0, RiskLevel = level, DefaultProbability = pd,
        RecommendedAction = action, InterestRateSuggestion = 7, MaxLoanAmount = 1_200, ConfidenceScore = 1 - pd, TopFactors = factors,
        ModelVersion = "x", ProcessingTimeMs = 1, IsFallback = false, DecisionReason = "band", PolicyVersion = 2, Warnings = [],
        ReasonCodes = [], ReasonCatalogueVersion = ReasonCatalogue.Default.Version,
    };
}

using Bunit;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Components.Controls;
using LynqDashboard.Web.Components.Pages;
using LynqDashboard.Web.Tests.Shared;
using MudBlazor;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>The Score page tells the borrower's reasons for a decline, and says when the answer is not production's.</summary>
public sealed class ScorePageReasonTests : ComponentTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void Score_DeclinedByTheFallback_ListsTheReasonCodes_AndSaysTheFallbackAnswered()
    {
        var cut = Render<Score>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=result]"));
        Assert.Empty(cut.FindAll("[data-testid=result-reason-codes]")); // the example applicant is approved

        // Reputation 10: logit −2.4 + 0.04 × 50 − 1.5 × 0.5 = −1.15, PD 24 %: rejected, and only the reputation raised it.
        cut.Find("[data-testid=field-reputation_score]").Input("10");

        cut.WaitForAssertion(() => Assert.Equal("R11", cut.Find("[data-testid=result-reason-code]").GetAttribute("data-code")));
        var reason = Assert.Single(cut.FindAll("[data-testid=result-reason-code]"));
        Assert.Equal("reputation_score", reason.GetAttribute("data-feature"));
        Assert.Contains("On-chain reputation score is too low", reason.TextContent, StringComparison.Ordinal);
        Assert.Equal("reasons-1", cut.Find("[data-testid=result-reason-codes]").GetAttribute("data-catalogue"));
        Assert.Contains("fallback answered", cut.Find("[data-testid=result-fallback]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=result-not-production]"));
    }

    [Fact]
    public void ScoreCard_DeclinedWithoutARaisingFeature_SaysSoInsteadOfAnEmptyList()
    {
        var result = new CreditScorer().Score(Core.Features.LoanApplication.Example, null) with { RecommendedAction = RecommendedAction.MANUAL_REVIEW, ReasonCodes = [] };

        var cut = Render<ScoreResultCard>(p => p.Add(c => c.Result, result));

        Assert.Contains("no feature raised this PD", cut.Find("[data-testid=result-reason-codes-none]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_AChosenNonProductionVersion_IsLabelledNotInProduction_AndTheProductionOneFromS3IsNot()
    {
        var trained = new ModelTrainer().Train(LoanDataset.From(new DatasetGenerator(new DatasetParameters(3_000, 5)).Rows().ToList()), new TrainingParameters(Trees: 5));
        foreach (var number in new[] { 1, 2 })
        {
            await AddReadyVersionAsync(trained, number, 3_000);
        }

        var v1 = ScoringModel.Load(Data.VersionFolder(1));

        // A scoring node following S3 names the manifest it loaded, not "production": it is still the production version.
        Active.Swap(new ServingModel(v1, "s3", "models/credit_model_v1_manifest.json", 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow));
        var fromS3 = Render<Score>();
        fromS3.WaitForAssertion(() => Assert.Contains("v1", fromS3.Find("[data-testid=result]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Empty(fromS3.FindAll("[data-testid=result-not-production]"));
        var chosen = fromS3.FindComponents<MudSelect<int?>>()[0];
        await fromS3.InvokeAsync(() => chosen.Instance.ValueChanged.InvokeAsync(2));
        fromS3.WaitForAssertion(() => Assert.Contains("Not in production", fromS3.Find("[data-testid=result-not-production]").TextContent, StringComparison.Ordinal), Patience);
        await DisposeComponentsAsync();

        Active.Swap(new ServingModel(v1, "local", "production", 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow));
        var cut = Render<Score>();
        cut.WaitForAssertion(() => Assert.Contains("v1", cut.Find("[data-testid=result]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Empty(cut.FindAll("[data-testid=result-not-production]"));
        Assert.Empty(cut.FindAll("[data-testid=result-fallback]"));

        var compareWith = cut.FindComponents<MudSelect<int?>>()[1];
        await cut.InvokeAsync(() => compareWith.Instance.ValueChanged.InvokeAsync(2));

        cut.WaitForAssertion(() => Assert.Contains("Not in production", cut.Find("[data-testid=comparison-not-production]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Empty(cut.FindAll("[data-testid=result-not-production]"));
        Directory.Delete(Data.Root, recursive: true);
    }
}

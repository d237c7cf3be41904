using Bunit;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Components.Controls;
using LynqDashboard.Web.Components.Pages;
using LynqDashboard.Web.Tests.Shared;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>
/// The Score page's answer for the applicant the analyst reported ($50,000 asked, $0 collateral, reputation 5, 3 defaults):
/// it used to read "LOW, APPROVE with maximum loan $0.00"; the policy now rejects it by rule and the card must say so.
/// </summary>
public sealed class ScoreCardDecisionTests : ComponentTest
{
    // One model for the class (training takes seconds). Trained on a book with a 1 % default rate, it gives the reported
    // applicant a low PD, as the analyst's model did: the band alone would approve, so only the policy's rule can decline.
    private static readonly Lazy<ScoringModel> TrainedModel = new(() =>
    {
        var root = Path.Combine(Path.GetTempPath(), "lynq-score-card-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var trained = new ModelTrainer().Train(LoanDataset.From(new DatasetGenerator(new DatasetParameters(10_000, 3, DefaultRate: 0.01)).Rows().ToList()), new TrainingParameters(Trees: 20));
            ModelArtifacts.Write(trained, "1", "t", new DatasetLineage("d.csv", "x", 1, null), Path.Combine(root, "v1"));
            return ScoringModel.Load(Path.Combine(root, "v1")); // read into memory: the folder can go
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    });

    private static readonly LoanApplication Reported = LoanApplication.Example with { LoanAmount = 50_000, CollateralValueUsd = 0, ReputationScore = 5, Defaults = 3 };

    [Fact]
    public void Score_ReportedApplicant_IsRejectedByTheMaximumLoanRule_SayingWhyAndWhichPolicy_WithNoZeroMaximum()
    {
        Assert.Equal(RecommendedAction.APPROVE, new CreditScorer(RiskPolicy.LynqOriginal).Score(Reported, TrainedModel.Value).RecommendedAction); // the old contradiction
        Serve();
        var cut = Render<Score>();
        cut.WaitForAssertion(() => Assert.Contains("v1", cut.Find("[data-testid=result]").TextContent, StringComparison.Ordinal));

        FillReported(cut);

        Assert.Equal("REJECT", cut.Find("[data-testid=result-action]").TextContent.Trim());
        Assert.Equal("Why: rule: the maximum loan is $0 (no collateral to lend against)", cut.Find("[data-testid=result-reason]").TextContent.Trim());
        Assert.Equal("v2", cut.Find("[data-testid=result-policy]").TextContent.Trim());
        Assert.Equal("no loan (rejected)", cut.Find("[data-testid=result-max-loan]").TextContent.Trim());
        Assert.Equal("none (rejected)", cut.Find("[data-testid=result-rate]").TextContent.Trim());
        Assert.DoesNotContain("0.00 USD", cut.Find("[data-testid=result]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("$0.00", cut.Find("[data-testid=result]").TextContent, StringComparison.Ordinal);
        // 2 repayments + 3 defaults out of 2 previous loans: scored, and said.
        Assert.Contains("the history is impossible", cut.Find("[data-testid=result-warning]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_ImpossibleHistory_IsWarnedAboutOnTheCard_AndStillScored()
    {
        var cut = Render<Score>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=result]"));
        Assert.Empty(cut.FindAll("[data-testid=result-warning]"));

        Fill(cut, ("successful_repayments", "5"));

        // The fields are debounced: the warning appears once the value is in.
        cut.WaitForAssertion(() => cut.Find("[data-testid=result-warning]"));
        var warning = cut.Find("[data-testid=result-warning]");
        var expected = CreditScorer.CreditScoreFor(CreditScorer.FallbackPd(LoanApplication.Example with { SuccessfulRepayments = 5 }));
        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), cut.Find("[data-testid=result-score] b").TextContent);
        Assert.Contains("mud-alert-text-warning", warning.ClassName, StringComparison.Ordinal);
        Assert.Contains("successful_repayments (5) + defaults (0) exceed previous_loans (2): the history is impossible", warning.TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=form-invalid]"));
        Assert.Equal("false", cut.Find("[data-testid=result]").GetAttribute("data-stale"));
    }

    [Fact]
    public void Score_DeclinedApplicant_ListsWhatCannotBeChangedAsNotActionable_AndTheChangeMovesOnlyALever()
    {
        Serve();
        var cut = Render<Score>();
        cut.WaitForAssertion(() => Assert.Contains("v1", cut.Find("[data-testid=result]").TextContent, StringComparison.Ordinal));

        FillReported(cut);

        var listed = cut.Find("[data-testid=result-not-actionable]").TextContent;
        Assert.All(
            ["Wallet age (days)", "Total transactions", "Total volume (USD)", "DeFi interactions", "Previous loans", "Successful repayments", "Defaults", "Reputation score"],
            label => Assert.Contains(label, listed, StringComparison.Ordinal));
        Assert.All(ApprovalSearch.Actionable, lever => Assert.DoesNotContain(lever.Label, listed, StringComparison.Ordinal));
        var change = ApprovalSearch.SmallestChange(Reported, TrainedModel.Value, new CreditScorer());
        if (change is null)
        {
            Assert.Contains("No change the applicant can make reaches APPROVE", cut.Find("[data-testid=result-whatif-none]").TextContent, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(ApprovalSearch.Actionable, f => f.Name == change.Feature);
            Assert.Contains($"{(change.Lever == Core.Features.FeatureLever.Raise ? "raise" : "lower")} {LoanFeatures.Find(change.Feature)!.Label} from", System.Text.RegularExpressions.Regex.Replace(cut.Find("[data-testid=result-whatif-change]").TextContent, @"\s+", " "), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ScoreCard_TheReportedAnswer_ReadsRejectWithTheRule_AndSaysPlainlyWhenNoActionableChangeApproves()
    {
        // The reported numbers (PD 10.7 %, fraud 0.80) through the v2 policy: band HIGH (10 % ≤ PD < 20 %) would be a manual
        // review with a maximum of 0 × 0.8 × 0.5 = $0, so the rule rejects.
        var decision = RiskPolicy.Default.Decide(0.107, 50_000, 0, 0.80);
        Assert.Equal((RecommendedAction.REJECT, 0.0), (decision.Action, decision.MaxLoanAmount));
        var result = new CreditScorer().Score(Reported, null) with
        {
            DefaultProbability = 0.107, RiskLevel = decision.Band.Level, RecommendedAction = decision.Action, MaxLoanAmount = decision.MaxLoanAmount,
            FraudScore = 0.80, DecisionReason = decision.Reason, PolicyVersion = RiskPolicy.Default.Version, IsFallback = false, ModelVersion = "1",
        };

        var cut = Render<ScoreResultCard>(p => p.Add(c => c.Result, result).Add(c => c.WhatIf, true).Add(c => c.Suggestion, null));

        Assert.Equal("10.7 %", cut.Find("[data-testid=result-pd]").TextContent.Trim());
        Assert.Equal("HIGH", cut.Find("[data-testid=result-risk]").TextContent.Trim());
        Assert.Equal("REJECT", cut.Find("[data-testid=result-action]").TextContent.Trim());
        Assert.Equal("Why: rule: the maximum loan is $0 (no collateral to lend against)", cut.Find("[data-testid=result-reason]").TextContent.Trim());
        Assert.Equal("v2", cut.Find("[data-testid=result-policy]").TextContent.Trim());
        Assert.Equal("no loan (rejected)", cut.Find("[data-testid=result-max-loan]").TextContent.Trim());
        Assert.Contains("No change the applicant can make reaches APPROVE: neither a smaller loan, nor more collateral, nor a shorter term does it on its own.",
            cut.Find("[data-testid=result-whatif-none]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Reputation score", cut.Find("[data-testid=result-not-actionable]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ScoreCard_ComparisonCardWithoutAWhatIf_ClaimsNothingAboutWhatWouldApprove()
    {
        var result = new CreditScorer().Score(Reported, null) with { IsFallback = false };

        var cut = Render<ScoreResultCard>(p => p.Add(c => c.Result, result).Add(c => c.TestId, "comparison"));

        Assert.Equal(RecommendedAction.REJECT, result.RecommendedAction);
        Assert.Empty(cut.FindAll("[data-testid=comparison-whatif]"));
    }

    private void Serve() => Active.Swap(new ServingModel(TrainedModel.Value, "local", "production", 1, DateTimeOffset.UtcNow));

    // The reported applicant typed in, then waited for: the fields are debounced, so the card is read once it shows that applicant's PD.
    private static void FillReported(IRenderedComponent<Score> cut)
    {
        Fill(cut, ("loan_amount", "50000"), ("collateral_value_usd", "0"), ("reputation_score", "5"), ("defaults", "3"));
        var pd = LynqDashboard.Web.Model.DisplayFormat.Percent(new CreditScorer().Score(Reported, TrainedModel.Value).DefaultProbability);
        cut.WaitForAssertion(() => Assert.Equal(pd, cut.Find("[data-testid=result-pd]").TextContent.Trim()));
    }

    // One field at a time, each waited for: a field is debounced, and its value is in once the input reports it.
    private static void Fill(IRenderedComponent<Score> cut, params (string Field, string Value)[] fields)
    {
        foreach (var (field, value) in fields)
        {
            cut.Find($"[data-testid=field-{field}]").Input(value);
            cut.WaitForAssertion(() => Assert.Equal(value, cut.Find($"[data-testid=field-{field}]").GetAttribute("aria-valuenow")));
        }
    }
}

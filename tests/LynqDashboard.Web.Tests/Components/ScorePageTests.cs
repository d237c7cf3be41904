using Bunit;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Components.Pages;
using LynqDashboard.Web.Tests.Shared;

namespace LynqDashboard.Web.Tests.Components;

public sealed class ScorePageTests : ComponentTest
{
    [Fact]
    public void Score_WithoutAModel_ScoresTheExampleApplicantWithTheFallback()
    {
        var cut = Render<Score>();

        cut.WaitForAssertion(() => Assert.Contains("rule-based fallback", cut.Find("[data-testid=result]").TextContent, StringComparison.Ordinal));
        Assert.Contains("No version is approved for production, so scoring answers from the rule-based fallback", cut.Find("[data-testid=serving-model]").TextContent, StringComparison.Ordinal);
        Assert.Contains("1.50", cut.Find("[data-testid=collateral-ratio]").TextContent, StringComparison.Ordinal);
        Assert.Equal(CreditScorer.CreditScoreFor(CreditScorer.FallbackPd(Core.Features.LoanApplication.Example)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            cut.Find("[data-testid=result-score] b").TextContent);
    }

    [Fact]
    public void Score_InvalidTerm_NamesTheFieldAndKeepsTheLastResult()
    {
        var cut = Render<Score>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=result]"));

        cut.Find("[data-testid=field-term_months]").Input("40");

        cut.WaitForAssertion(() => Assert.Contains("Term (months) must be at most 36.", cut.Markup, StringComparison.Ordinal));
        Assert.NotNull(cut.Find("[data-testid=form-invalid]"));
        Assert.NotNull(cut.Find("[data-testid=result]"));
    }

    [Fact]
    public async Task Score_InvalidValue_MarksTheLastResultStale_AndAValidOneMakesItCurrentAgain()
    {
        var cut = Render<Score>();
        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find("[data-testid=result]").GetAttribute("data-stale")));
        var before = cut.Find("[data-testid=result-pd]").TextContent;

        // Found and typed into on the renderer's thread: the page may redraw in between otherwise (its banner follows the serving model).
        await cut.InvokeAsync(() => cut.Find("[data-testid=field-loan_amount]").Input("0"));

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=result]").GetAttribute("data-stale")));
        Assert.Contains("stale", cut.Find("[data-testid=result]").ClassList);
        Assert.Contains("Out of date", cut.Find("[data-testid=result-stale]").TextContent, StringComparison.Ordinal);
        Assert.Equal(before, cut.Find("[data-testid=result-pd]").TextContent);

        await cut.InvokeAsync(() => cut.Find("[data-testid=field-loan_amount]").Input("1000"));

        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find("[data-testid=result]").GetAttribute("data-stale")));
        Assert.Empty(cut.FindAll("[data-testid=result-stale]"));
        Assert.Empty(cut.FindAll("[data-testid=form-invalid]"));
    }

    [Fact]
    public async Task ServingBanner_AnotherVersionStartsServing_NamesItWithoutAReload_AndStopsListeningWhenLeft()
    {
        using var folder = new TempFolderForTests();
        var trained = new ModelTrainer().Train(LoanDataset.From(new DatasetGenerator(new DatasetParameters(4_000, 5)).Rows().ToList()), new TrainingParameters(Trees: 10));
        foreach (var number in new[] { "1", "2" })
        {
            ModelArtifacts.Write(trained, number, "t", new DatasetLineage("d.csv", "x", 1, null), Path.Combine(folder.Path, $"v{number}"));
        }

        Active.Swap(new ServingModel(ScoringModel.Load(Path.Combine(folder.Path, "v1")), "local", "production", 1, DateTimeOffset.UtcNow));
        var banner = Render<LynqDashboard.Web.Components.Controls.ServingModelBanner>();
        Assert.Contains("serves version 1 (approved production version)", banner.Find("[data-testid=serving-model]").TextContent, StringComparison.Ordinal);

        // A promotion finished elsewhere: the refresh service swaps the model on its own thread.
        await Task.Run(() => Active.Swap(new ServingModel(ScoringModel.Load(Path.Combine(folder.Path, "v2")), "local", "production", 2, DateTimeOffset.UtcNow)));

        banner.WaitForAssertion(() => Assert.Contains("serves version 2 (approved production version)", banner.Find("[data-testid=serving-model]").TextContent, StringComparison.Ordinal));
        Assert.Equal("2", banner.Find("[data-testid=serving-model]").GetAttribute("data-serving-version"));
        Active.ReportFailure("v3 could not be loaded (disk full); still serving v2.");
        banner.WaitForAssertion(() => Assert.Contains("still serving v2", banner.Find("[data-testid=serving-error]").TextContent, StringComparison.Ordinal));

        await DisposeComponentsAsync();
        var changed = typeof(ActiveModel).GetField(nameof(ActiveModel.Changed), System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.GetValue(Active);
        Assert.Null(changed);
    }

    [Fact]
    public void ScoreCard_TopFactors_AreLabelledBarsWithSignedValues()
    {
        var result = new CreditScorer().Score(Core.Features.LoanApplication.Example, null) with
        {
            TopFactors = [new TopFactor("collateral_ratio", "negative", 1.05, 0.0321), new TopFactor("total_volume_usd", "positive", 50_000, -0.0105)],
        };

        var cut = Render<LynqDashboard.Web.Components.Controls.ScoreResultCard>(p => p.Add(c => c.Result, result));

        var rows = cut.FindAll("[data-testid=result-factors] tr");
        Assert.Equal(["Collateral ratio", "Total volume (USD)"], rows.Select(r => r.QuerySelector("th")!.ChildNodes[0].TextContent.Trim()));
        Assert.Equal(["+3.21 pp", "−1.05 pp"], rows.Select(r => r.QuerySelector(".bar-value")!.TextContent));
        Assert.Contains("value 50,000", rows[1].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("total_volume_usd", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_CollateralChange_UpdatesTheRatioAndMovesThePd()
    {
        using var folder = new TempFolderForTests();
        var trained = new ModelTrainer().Train(LoanDataset.From(new DatasetGenerator(new DatasetParameters(20_000, 3)).Rows().ToList()), new TrainingParameters(Trees: 60));
        ModelArtifacts.Write(trained, "1", "t", new DatasetLineage("d.csv", "x", 1, null), Path.Combine(folder.Path, "v1"));
        Active.Swap(new ServingModel(ScoringModel.Load(Path.Combine(folder.Path, "v1")), "local", "production", 1, DateTimeOffset.UtcNow));
        var cut = Render<Score>();
        cut.WaitForAssertion(() => Assert.Contains("v1", cut.Find("[data-testid=result]").TextContent, StringComparison.Ordinal));
        Active.ReportFailure("v2 could not be loaded (disk full); still serving v1.");
        var banner = Render<LynqDashboard.Web.Components.Controls.ServingModelBanner>();
        Assert.Contains("serves version 1 (approved production version)", banner.Find("[data-testid=serving-model]").TextContent, StringComparison.Ordinal);
        Assert.Contains("still serving v1", banner.Find("[data-testid=serving-error]").TextContent, StringComparison.Ordinal);
        var before = cut.Find("[data-testid=result-pd]").TextContent;

        cut.Find("[data-testid=field-collateral_value_usd]").Input("1000");

        cut.WaitForAssertion(() => Assert.Contains("1.00", cut.Find("[data-testid=collateral-ratio]").TextContent, StringComparison.Ordinal));
        cut.WaitForAssertion(() => Assert.NotEqual(before, cut.Find("[data-testid=result-pd]").TextContent));
        Assert.Contains("pp", cut.Find("[data-testid=result-delta]").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(cut.Find("[data-testid=result-factors]").QuerySelectorAll("svg path"));
    }

    [Fact]
    public void BatchPanel_UploadedCsv_ScoresGoodRowsReportsBadOnesAndOffersTheFile()
    {
        var csv = "wallet_address,wallet_age_days,total_transactions,total_volume_usd,defi_interactions,loan_amount,collateral_value_usd,term_months\n"
                  + "0xa,365,150,50000,25,1000,1500,3\n0xb,365,150,50000,25,-5,1500,3\n0xc,30,10,500,2,900,950,12\n";
        var cut = Render<LynqDashboard.Web.Components.Controls.BatchScorePanel>();

        cut.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>().UploadFiles(InputFileContent.CreateFromText(csv, "applications.csv"));

        cut.WaitForAssertion(() => Assert.Contains("Scored 2 row(s); 1 row(s) could not be scored.", cut.Find("[data-testid=batch-summary]").TextContent, StringComparison.Ordinal));
        Assert.Contains("line 3, column loan_amount", cut.Markup, StringComparison.Ordinal);
        var token = cut.Find("[data-testid=batch-download]").GetAttribute("href")!.Split('/')[^1];
        var scored = System.Text.Encoding.UTF8.GetString(ScoredFiles.Get(token)!).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, scored.Length); // every input row, the bad one too, with its error
        Assert.StartsWith("0xa,365,150,50000,25,1000,1500,3,", scored[1], StringComparison.Ordinal);
        Assert.StartsWith("0xb,365,150,50000,25,-5,1500,3,,", scored[2], StringComparison.Ordinal);
        Assert.EndsWith(",line 3: loan_amount must be at least 0.01 (got -5)", scored[2], StringComparison.Ordinal);
        Assert.StartsWith("0xc,30,10,500,2,900,950,12,", scored[3], StringComparison.Ordinal);
    }

    [Fact]
    public void BatchPanel_FileOverTenMegabytes_IsRefusedNamingTheLimit_AndNothingIsScored()
    {
        var cut = Render<LynqDashboard.Web.Components.Controls.BatchScorePanel>();

        cut.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>().UploadFiles(InputFileContent.CreateFromBinary(new byte[(10 << 20) + 1], "huge.csv"));

        cut.WaitForAssertion(() => Assert.Contains("huge.csv is 10.0 MB; the limit is 10 MB. Split it into smaller files.", cut.Markup, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=batch-download]"));
    }

    [Fact]
    public void BatchPanel_FileNamedLikeAPath_IsOnlyAName_NoFileIsWrittenAnywhere()
    {
        var before = Directory.Exists(Data.Root) ? Directory.GetFiles(Data.Root, "*", SearchOption.AllDirectories).Length : 0;
        var csv = "wallet_address,wallet_age_days,total_transactions,total_volume_usd,defi_interactions,loan_amount,collateral_value_usd,term_months\n0xa,365,150,50000,25,1000,1500,3\n";
        var cut = Render<LynqDashboard.Web.Components.Controls.BatchScorePanel>();

        cut.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>().UploadFiles(InputFileContent.CreateFromText(csv, "../../../../tmp/lynq-evil.csv"));

        cut.WaitForAssertion(() => Assert.Contains("Scored 1 row(s)", cut.Find("[data-testid=batch-summary]").TextContent, StringComparison.Ordinal));
        Assert.False(File.Exists("/tmp/lynq-evil.csv"));
        Assert.Equal(before, Directory.Exists(Data.Root) ? Directory.GetFiles(Data.Root, "*", SearchOption.AllDirectories).Length : 0);
        Assert.Matches("^/downloads/scored/[A-Za-z0-9_-]+$", cut.Find("[data-testid=batch-download]").GetAttribute("href")!);
    }

    private sealed class TempFolderForTests : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lynq-score-tests", Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
    }
}

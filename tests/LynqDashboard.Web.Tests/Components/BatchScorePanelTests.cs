using System.Text;
using Bunit;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Components.Controls;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Components.Forms;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>The Score page's batch panel with files a person might upload: whatever they hold becomes words in the panel.</summary>
public sealed class BatchScorePanelTests : ComponentTest
{
    private const string Header = "wallet_address,wallet_age_days,total_transactions,total_volume_usd,defi_interactions,loan_amount,collateral_value_usd,term_months";

    [Fact]
    public void Panel_ListsTheColumnsFromTheFeatureSpecification()
    {
        var cut = Render<BatchScorePanel>();

        var caption = cut.Find("[data-testid=batch-columns]").TextContent;
        Assert.All(LoanFeatures.Supplied, spec => Assert.Contains(spec.Name, caption, StringComparison.Ordinal));
        Assert.DoesNotContain(LoanFeatures.CollateralRatio.Name, caption, StringComparison.Ordinal);
        Assert.Contains("wallet_address", caption, StringComparison.Ordinal);
    }

    [Fact]
    public void Upload_BinaryFile_IsAMessageInThePanel_NotAnException()
    {
        var bytes = new byte[200_000];
        new Random(3).NextBytes(bytes);
        var cut = Render<BatchScorePanel>();

        Upload(cut, InputFileContent.CreateFromBinary(bytes, "photo.csv"));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=batch-errors] .mud-typography")));
        Assert.Contains("line 1", cut.Find("[data-testid=batch-errors]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=batch-download]"));
        Assert.Empty(cut.FindAll("[data-testid=batch-problem]"));
    }

    [Fact]
    public void Upload_TenMegabyteSingleLine_SaysTheLineIsTooLong()
    {
        var cut = Render<BatchScorePanel>();

        Upload(cut, InputFileContent.CreateFromBinary(Enumerable.Repeat((byte)'9', (10 << 20) - 1).ToArray(), "one-line.csv"));

        cut.WaitForAssertion(() => Assert.Contains("line 1, column 1: the header row cannot be read: the line is longer than 65,536 characters",
            cut.Find("[data-testid=batch-errors]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Empty(cut.FindAll("[data-testid=batch-summary]"));
    }

    [Fact]
    public void Upload_BytesThatAreNotUtf8_RejectOnlyTheirRow()
    {
        byte[] file = [.. Encoding.UTF8.GetBytes($"{Header}\n0xa,365,150,50000,25,1000,1500,3\n0x"), 0xE9, 0xFF, .. Encoding.UTF8.GetBytes(",365,150,50000,25,1000,1500,3\n0xc,30,10,500,2,900,950,12\n")];
        var cut = Render<BatchScorePanel>();

        Upload(cut, InputFileContent.CreateFromBinary(file, "latin1.csv"));

        cut.WaitForAssertion(() => Assert.Contains("Scored 2 row(s); 1 row(s) could not be scored.", cut.Find("[data-testid=batch-summary]").TextContent, StringComparison.Ordinal));
        Assert.Contains("line 3, column wallet_address: is not valid UTF-8 text", cut.Find("[data-testid=batch-errors]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-testid=batch-download]"));
    }

    [Fact]
    public void Upload_ManyBadRows_ListsTheFirstHundredAndSaysHowManyMore()
    {
        var bad = string.Concat(Enumerable.Repeat("=cmd,-1,150,50000,25,1000,1500,3\n", 300));
        var cut = Render<BatchScorePanel>();

        Upload(cut, InputFileContent.CreateFromText($"{Header}\n{bad}0xa,365,150,50000,25,1000,1500,3\n", "bad.csv"));

        cut.WaitForAssertion(() => Assert.Contains("Scored 1 row(s); 300 row(s) could not be scored.", cut.Find("[data-testid=batch-summary]").TextContent, StringComparison.Ordinal));
        Assert.Equal(ApplicationCsv.MaxListedErrors, cut.FindAll("[data-testid=batch-errors] .mud-typography").Count);
        Assert.Equal("… and 500 more.", cut.Find("[data-testid=batch-more-errors]").TextContent.Trim());
    }

    [Fact]
    public void Upload_DuplicateColumn_RefusesTheFileNamingLineAndColumn()
    {
        var cut = Render<BatchScorePanel>();

        Upload(cut, InputFileContent.CreateFromText($"{Header},Loan_Amount\n0xa,365,150,50000,25,1000,1500,3,5\n", "twice.csv"));

        cut.WaitForAssertion(() => Assert.Contains("line 1, column Loan_Amount: the column appears twice in the header (columns 6 and 9)",
            cut.Find("[data-testid=batch-errors]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=batch-summary]"));
        Assert.Empty(cut.FindAll("[data-testid=batch-download]"));
    }

    [Fact]
    public void Upload_PreviewsTheFirstTenRowsOfTheScoredFile_WithTheCallersColumnsFirst_AndCountsBoth()
    {
        var good = string.Concat(Enumerable.Range(1, 11).Select(i => $"A-{i},0x{i},365,150,50000,25,1000,1500,3,\"note {i}, kept\"\n"));
        var csv = $"id,{Header},note\nA-0,0x0,365,150,50000,25,0,1500,3,bad\n{good}";
        var cut = Render<BatchScorePanel>();

        Upload(cut, InputFileContent.CreateFromText(csv, "with-ids.csv"));

        cut.WaitForAssertion(() => Assert.Contains("Scored 11 row(s); 1 row(s) could not be scored.", cut.Find("[data-testid=batch-summary]").TextContent, StringComparison.Ordinal));
        var table = cut.Find("[data-testid=batch-preview]");
        Assert.Equal(["id", .. Header.Split(','), "note", .. ScoredCsv.AnswerColumns], table.QuerySelectorAll("thead th").Select(th => th.TextContent.Trim()));
        var rows = table.QuerySelectorAll("tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList()).ToList();
        Assert.Equal(10, rows.Count);
        Assert.Equal(["A-0", "0x0", "365", "150", "50000", "25", "0", "1500", "3", "bad"], rows[0][..10]);
        Assert.Equal("line 2: loan_amount must be at least 0.01 (got 0)", rows[0][^1]);
        Assert.Equal(string.Empty, rows[0][10]);
        Assert.Equal(["A-9", "note 9, kept"], [rows[9][0], rows[9][9]]);
        Assert.Equal("2", rows[9][10 + ScoredCsv.AnswerColumns.ToList().IndexOf("policy_version")]);
        Assert.Equal(string.Empty, rows[9][^1]);
        Assert.Contains("The first 10 of 12 row(s)", cut.Find("[data-testid=batch-preview-caption]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-testid=batch-download]"));
    }

    [Fact]
    public void Upload_DeclinedRow_ShowsItsReasonCodes_AndAnApprovedRowNone()
    {
        // A 10-day wallet pledging half the loan, and the example applicant.
        var declined = new Core.Features.LoanApplication { WalletAgeDays = 10, TotalTransactions = 150, TotalVolumeUsd = 50_000, DefiInteractions = 25, LoanAmount = 1_000, CollateralValueUsd = 500, TermMonths = 3 };
        var expected = new CreditScorer().Score(declined, model: null, explain: false);
        var cut = Render<BatchScorePanel>();

        Upload(cut, InputFileContent.CreateFromText($"{Header},previous_loans,successful_repayments,reputation_score\n0xa,10,150,50000,25,1000,500,3,0,0,50\n0xb,365,150,50000,25,1000,1500,3,2,2,75\n", "reasons.csv"));

        cut.WaitForAssertion(() => cut.Find("[data-testid=batch-preview]"));
        var column = Header.Split(',').Length + 3 + ScoredCsv.AnswerColumns.ToList().IndexOf("reason_codes");
        var rows = cut.Find("[data-testid=batch-preview]").QuerySelectorAll("tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList()).ToList();
        Assert.NotEqual(RecommendedAction.APPROVE, expected.RecommendedAction);
        Assert.NotEmpty(expected.ReasonCodes);
        Assert.Equal(string.Join(';', expected.ReasonCodes.Select(r => r.Code)), rows[0][column]);
        Assert.Equal("APPROVE", rows[1][column - 5]);
        Assert.Equal(string.Empty, rows[1][column]);
    }

    [Fact]
    public void Upload_OnlyBadRows_StillOffersTheFileWithEveryRowAndItsError()
    {
        var cut = Render<BatchScorePanel>();

        Upload(cut, InputFileContent.CreateFromText($"{Header}\n0xa,365,150,50000,25,0,1500,3\n", "bad.csv"));

        cut.WaitForAssertion(() => Assert.Contains("Scored 0 row(s); 1 row(s) could not be scored.", cut.Find("[data-testid=batch-summary]").TextContent, StringComparison.Ordinal));
        var token = cut.Find("[data-testid=batch-download]").GetAttribute("href")!.Split('/')[^1];
        Assert.Equal(
            $"{Header},{string.Join(',', ScoredCsv.AnswerColumns)}\n0xa,365,150,50000,25,0,1500,3,,,,,,,,,,,,,line 2: loan_amount must be at least 0.01 (got 0)\n",
            Encoding.UTF8.GetString(ScoredFiles.Get(token)!));
    }

    private static void Upload(IRenderedComponent<BatchScorePanel> cut, InputFileContent file) =>
        cut.FindComponent<InputFile>().UploadFiles(file);
}

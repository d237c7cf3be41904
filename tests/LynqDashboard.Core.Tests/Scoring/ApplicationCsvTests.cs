using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Tests.Scoring;

public sealed class ApplicationCsvTests
{
    private const string Header = "wallet_address,wallet_age_days,total_transactions,total_volume_usd,defi_interactions,loan_amount,collateral_value_usd,term_months";

    [Fact]
    public void Read_MixedRows_KeepsTheGoodAndNamesTheBadByLine()
    {
        var csv = $"{Header}\n0xa,365,150,50000,25,1000,1500,3\n0xb,365,150,50000,25,0,1500,3\n0xc,abc,150,50000,25,1000,1500,40\n0xd,10,5,100,1,500,400,12\n";

        var upload = ApplicationCsv.Read(new StringReader(csv), maxRows: 100);

        Assert.Equal([2L, 5L], upload.Rows.Select(r => r.Line));
        Assert.Equal(50, upload.Rows[0].Application.ReputationScore);
        Assert.Equal(0.8, upload.Rows[1].Application.CollateralRatio, 6);
        Assert.Contains(upload.Errors, e => e is { Line: 3, Column: "loan_amount" });
        Assert.Contains(upload.Errors, e => e is { Line: 4, Column: "wallet_age_days" });
        Assert.Contains(upload.Errors, e => e is { Line: 4, Column: "term_months" });
        Assert.False(upload.Truncated);
    }

    [Fact]
    public void Read_MissingRequiredColumn_ScoresNothingAndSaysWhich()
    {
        var upload = ApplicationCsv.Read(new StringReader("wallet_address,loan_amount\n0xa,100\n"), maxRows: 100);

        Assert.Empty(upload.Rows);
        Assert.Contains("wallet_age_days", Assert.Single(upload.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MoreRowsThanAllowed_StopsAndSaysSo()
    {
        var rows = string.Join('\n', Enumerable.Repeat("0xa,365,150,50000,25,1000,1500,3", 30));

        var upload = ApplicationCsv.Read(new StringReader($"{Header}\n{rows}\n"), maxRows: 10);

        Assert.Equal(10, upload.Rows.Count);
        Assert.True(upload.Truncated);
    }

    [Fact]
    public void WriteScored_QuotesUserTextSoItCannotBreakTheFile()
    {
        var row = new ApplicationRow(2, Features.LoanApplication.Example with { WalletAddress = "=cmd|' /C calc'!A0,\"x\"" });
        var writer = new StringWriter();

        ApplicationCsv.WriteScored(writer, [(row, new CreditScorer().Score(row.Application, null))]);

        var line = writer.ToString().Split('\n')[1];
        Assert.StartsWith("2,\"'=cmd|' /C calc'!A0,\"\"x\"\"\",", line, StringComparison.Ordinal);
        Assert.EndsWith("rule-based-fallback\",true", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Header + ",loan_amount", "loan_amount", "appears twice in the header (columns 6 and 9)")]
    [InlineData(Header + ",Term_Months", "Term_Months", "appears twice")]
    [InlineData("wallet_address,,wallet_age_days,total_transactions,total_volume_usd,defi_interactions,loan_amount,collateral_value_usd,term_months", "2", "blank")]
    [InlineData(Header + ",", "9", "blank")]
    [InlineData("wallet_address,\"wallet_age_days,total_transactions", "2", "not closed")]
    public void Read_UnusableHeader_RefusesTheFileNamingLineAndColumn(string header, string column, string message)
    {
        var upload = ApplicationCsv.Read(new StringReader($"{header}\n0xa,365,150,50000,25,1000,1500,3,1000\n"), maxRows: 100);

        Assert.False(upload.Usable);
        Assert.Empty(upload.Rows);
        var error = Assert.Single(upload.Errors, e => e.Column == column);
        Assert.Equal(1, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyFile_IsUnusable()
    {
        var upload = ApplicationCsv.Read(new StringReader("\n\n"), maxRows: 100);

        Assert.False(upload.Usable);
        Assert.Contains("empty", Assert.Single(upload.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BomAndCrlf_AreSimplyAccepted()
    {
        var csv = $"\uFEFF{Header}\r\n0xa,365,150,50000,25,1000,1500,3\r\n0xb,10,5,100,1,500,400,12\r0xc,10,5,100,1,500,400,12\r\n";

        var upload = ApplicationCsv.Read(new StringReader(csv), maxRows: 100);

        Assert.Empty(upload.Errors);
        Assert.Equal([2L, 3L, 4L], upload.Rows.Select(r => r.Line));
        Assert.Equal("0xa", upload.Rows[0].Application.WalletAddress);
        Assert.Equal(3, upload.Rows[0].Application.TermMonths);
    }

    [Theory]
    [InlineData("0xb,=1+2,150,50000,25,1000,1500,3", "wallet_age_days", "starts with '=', like a spreadsheet formula")]
    [InlineData("0xb,365,@SUM(A1),50000,25,1000,1500,3", "total_transactions", "starts with '@'")]
    [InlineData("0xb,365,150,\t50000,25,1000,1500,3", "total_volume_usd", "starts with a tab")]
    [InlineData("0xb,365,150,50000,25,1000,1500,\"-2+3\"", "term_months", "starts with '-'")]
    [InlineData("0xb,365,150,50000,-1,1000,1500,3", "defi_interactions", "must not be negative")]
    [InlineData("=HYPERLINK(\"\"x\"\"),365,150,50000,25,1000,1500,3", "wallet_address", "a quote at character 12")]
    [InlineData("\"=HYPERLINK(\"\"x\"\")\",365,150,50000,25,1000,1500,3", "wallet_address", "starts with '=', which a spreadsheet would run as a formula")]
    [InlineData("+441234,365,150,50000,25,1000,1500,3", "wallet_address", "starts with '+'")]
    [InlineData("\"\t0xb\",365,150,50000,25,1000,1500,3", "wallet_address", "starts with a tab")]
    [InlineData("0x\0b,365,150,50000,25,1000,1500,3", "wallet_address", "control characters")]
    [InlineData("0x\uFFFD,365,150,50000,25,1000,1500,3", "wallet_address", "not valid UTF-8")]
    [InlineData("0xb,365,150,50000,25,1000,1500,3,9", null, "has 9 cell(s), the header has 8")]
    [InlineData("0xb,365,150,50000,25,1000,\"1500,3", "collateral_value_usd", "the quote opened at character 27 is not closed")]
    [InlineData("0xb,365,150,50000,25,1000,\"1500\"x,3", "collateral_value_usd", "closing quote at character 32 must be followed by a comma")]
    [InlineData("0xb,365,150,1e39,25,1000,1500,3", "total_volume_usd", "at most 1,000,000,000,000")]
    [InlineData("0xb,365,150,50000,25,1e-300,1500,3", "loan_amount", "at least 0.01")]
    [InlineData("0xb,365,1e300,50000,25,1000,1500,3", "total_transactions", "at most 1,000,000,000")]
    public void Read_BadCell_RejectsTheRowNamingLineAndColumn_AndScoresTheOthers(string badRow, string? column, string message)
    {
        var csv = $"{Header}\n0xa,365,150,50000,25,1000,1500,3\n{badRow}\n0xc,30,10,500,2,900,950,12\n";

        var upload = ApplicationCsv.Read(new StringReader(csv), maxRows: 100);

        Assert.True(upload.Usable);
        Assert.Equal([2L, 4L], upload.Rows.Select(r => r.Line));
        var error = Assert.Single(upload.Errors);
        Assert.Equal((3L, column), (error.Line, error.Column));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(3, Assert.Single(upload.Rejected).Line);
    }

    [Fact]
    public void Read_QuotedCells_HoldCommasAndDoubledQuotes()
    {
        var upload = ApplicationCsv.Read(new StringReader($"{Header}\n\"0x\"\"a,b\"\"\",\"365\",150,50000,25,1000,1500,3\n"), maxRows: 100);

        Assert.Equal("0x\"a,b\"", Assert.Single(upload.Rows).Application.WalletAddress);
    }

    [Fact]
    public void Read_OverLongLine_IsReportedAndSkipped_TheNextLinesAreScored()
    {
        var csv = $"{Header}\n0xa,365,150,50000,25,1000,1500,3\n0xb,{new string('9', 200_000)},150,50000,25,1000,1500,3\n0xc,30,10,500,2,900,950,12\n";

        var upload = ApplicationCsv.Read(new StringReader(csv), maxRows: 100);

        Assert.Equal([2L, 4L], upload.Rows.Select(r => r.Line));
        var error = Assert.Single(upload.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("longer than 65,536 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ManyBadRows_ListsTheFirstHundredAndCountsTheRest()
    {
        var bad = string.Join('\n', Enumerable.Repeat("0xb,-1,150,50000,25,0,1500,3", 250));

        var upload = ApplicationCsv.Read(new StringReader($"{Header}\n{bad}\n0xa,365,150,50000,25,1000,1500,3\n"), maxRows: 1_000);

        Assert.Equal(ApplicationCsv.MaxListedErrors, upload.Errors.Count);
        Assert.Equal(500, upload.ErrorCount);
        Assert.Equal(400, upload.UnlistedErrors);
        Assert.Equal(250, upload.Rejected.Count);
        Assert.Equal(252L, Assert.Single(upload.Rows).Line);
    }

    [Fact]
    public void Read_AnyBytes_NeverThrows()
    {
        var random = new Random(12);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(0, 4_000)];
            random.NextBytes(bytes);
            var text = i % 2 == 0 ? System.Text.Encoding.UTF8.GetString(bytes) : $"{Header}\n" + System.Text.Encoding.Latin1.GetString(bytes);

            var upload = ApplicationCsv.Read(new StringReader(text), maxRows: 100);

            Assert.True(upload.Usable || upload.Errors.Count > 0);
        }
    }

    [Fact]
    public void WriteScored_WithRejectedRows_WritesOneRowPerDataLineInOrder()
    {
        var csv = $"{Header}\n0xa,365,150,50000,25,1000,1500,3\n=x,365,150,50000,25,0,1500,3\n0xc,30,10,500,2,900,950,12\n0xd,1\n";
        var upload = ApplicationCsv.Read(new StringReader(csv), maxRows: 100);
        var scorer = new CreditScorer();
        var writer = new StringWriter();

        ApplicationCsv.WriteScored(writer, upload.Rows.Select(r => (r, scorer.Score(r.Application, null))), upload.Rejected);

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",is_fallback,error", lines[0], StringComparison.Ordinal);
        Assert.Equal(["2", "3", "4", "5"], lines[1..].Select(l => l.Split(',')[0]));
        Assert.EndsWith(",true,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("3,\"\",,,,,,,,,,,\"loan_amount: must be at least 0.01", lines[2], StringComparison.Ordinal);
        Assert.Contains("wallet_address: '=x' starts with '='", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("5,\"0xd\",,,,,,,,,,,\"has 2 cell(s)", lines[4], StringComparison.Ordinal);
    }
}


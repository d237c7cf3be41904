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
}

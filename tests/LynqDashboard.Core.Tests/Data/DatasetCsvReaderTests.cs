using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Tests.Shared;

namespace LynqDashboard.Core.Tests.Data;

public sealed class DatasetCsvReaderTests
{
    private const string Header = "wallet_age_days,total_transactions,total_volume_usd,defi_interactions,loan_amount,collateral_value_usd,term_months,previous_loans,successful_repayments,defaults,reputation_score,default_event";
    private const string GoodRow = "365,150,50000,25,1000,1500,3,2,2,0,75,0";

    [Fact]
    public async Task Read_GeneratedFile_RoundTripsEveryValue()
    {
        using var folder = new TempFolder();
        var parameters = new DatasetParameters(5_000, 21);
        await DatasetFiles.GenerateAsync(parameters, folder.File("d.csv"));
        var expected = LoanDataset.From(new DatasetGenerator(parameters).Rows().ToList());

        var actual = DatasetCsvReader.Read(folder.File("d.csv"));

        Assert.Equal(expected.Labels, actual.Labels);
        Assert.Equal(expected.Features, actual.Features);
        Assert.NotNull(actual.TruePd);
        for (var i = 0; i < actual.Count; i++)
        {
            Assert.InRange(Math.Abs(expected.TruePd![i] - actual.TruePd![i]), 0, 6e-7); // written with 6 decimals
        }
    }

    [Fact]
    public void Read_UserFileWithOtherColumnOrderAndExtras_ComputesTheRatio()
    {
        var csv = "note,default_event,reputation_score,defaults,successful_repayments,previous_loans,term_months,collateral_value_usd,loan_amount,defi_interactions,total_volume_usd,total_transactions,wallet_age_days\n"
                  + "hello,1,75,0,2,2,3,1500,1000,25,50000,150,365\r\n";

        var data = DatasetCsvReader.Read(new StringReader(csv));

        Assert.Equal(1, data.Count);
        Assert.True(data.Labels[0]);
        Assert.Null(data.TruePd);
        Assert.Equal(365f, data.Row(0)[LoanFeatures.WalletAgeDays.Index]);
        Assert.Equal(1.5f, data.Row(0)[LoanFeatures.CollateralRatio.Index]);
    }

    [Theory]
    [InlineData("365,150,abc,25,1000,1500,3,2,2,0,75,0", "total_volume_usd", "'abc' is not a number")]
    [InlineData("365,150,NaN,25,1000,1500,3,2,2,0,75,0", "total_volume_usd", "finite")]
    [InlineData("365,150,50000,25,Infinity,1500,3,2,2,0,75,0", "loan_amount", "finite")]
    [InlineData("-1,150,50000,25,1000,1500,3,2,2,0,75,0", "wallet_age_days", "must not be negative")]
    [InlineData("365,150,50000,25,1000,1500,3,2,2,-2,75,0", "defaults", "must not be negative")]
    [InlineData("365,150.5,50000,25,1000,1500,3,2,2,0,75,0", "total_transactions", "whole number")]
    [InlineData("365,150,50000,25,1000,1500,37,2,2,0,75,0", "term_months", "at most 36")]
    [InlineData("365,150,50000,25,1000,1500,0,2,2,0,75,0", "term_months", "at least 1")]
    [InlineData("365,150,50000,25,1000,1500,3,2,2,0,101,0", "reputation_score", "at most 100")]
    [InlineData("365,150,50000,25,0,1500,3,2,2,0,75,0", "loan_amount", "must be at least 0.01")]
    [InlineData("365,150,50000,25,1000,1500,3,2,2,0,75,2", "default_event", "0 or 1")]
    [InlineData("365,150,,25,1000,1500,3,2,2,0,75,0", "total_volume_usd", "is empty")]
    public void Read_BadCell_NamesTheLineAndColumn(string badRow, string column, string message)
    {
        var csv = $"{Header}\n{GoodRow}\n{GoodRow}\n{badRow}\n{GoodRow}\n";

        var error = Assert.Throws<DatasetFormatException>(() => DatasetCsvReader.Read(new StringReader(csv)));

        var only = Assert.Single(error.Errors);
        Assert.Equal(4, only.Line);
        Assert.Equal(column, only.Column);
        Assert.Contains(message, only.Message, StringComparison.Ordinal);
        Assert.Contains($"line 4, column {column}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingColumns_ListsThemAll()
    {
        var csv = "wallet_age_days,total_transactions\n1,2\n";
        var error = Assert.Throws<DatasetFormatException>(() => DatasetCsvReader.Read(new StringReader(csv)));
        Assert.Equal(1, error.Errors[0].Line);
        Assert.Contains("loan_amount", error.Message, StringComparison.Ordinal);
        Assert.Contains("default_event", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ShortRow_SaysHowManyFields()
    {
        var csv = $"{Header}\n{GoodRow}\n365,150\n";
        var error = Assert.Throws<DatasetFormatException>(() => DatasetCsvReader.Read(new StringReader(csv)));
        Assert.Equal(3, Assert.Single(error.Errors).Line);
        Assert.Contains("2 field(s)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(Header + "\n", "no data rows")]
    public void Read_NoData_SaysWhy(string csv, string message)
    {
        var error = Assert.Throws<DatasetFormatException>(() => DatasetCsvReader.Read(new StringReader(csv)));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruePdOutOfRange_IsRejected()
    {
        var csv = $"{Header},true_pd\n{GoodRow},0.5\n{GoodRow},1.5\n";
        var error = Assert.Throws<DatasetFormatException>(() => DatasetCsvReader.Read(new StringReader(csv)));
        Assert.Equal(3, Assert.Single(error.Errors).Line);
        Assert.Equal("true_pd", error.Errors[0].Column);
    }

    [Fact]
    public void Read_ManyBadRows_StopsAfterTheReportLimit()
    {
        var rows = string.Join('\n', Enumerable.Repeat("x,150,50000,25,1000,1500,3,2,2,0,75,0", 100));
        var error = Assert.Throws<DatasetFormatException>(() => DatasetCsvReader.Read(new StringReader($"{Header}\n{rows}\n")));
        Assert.Equal(DatasetCsvReader.MaxReportedErrors, error.Errors.Count);
        Assert.Contains("more problems", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DuplicateColumn_IsRejected()
    {
        var error = Assert.Throws<DatasetFormatException>(() => DatasetCsvReader.Read(new StringReader($"{Header},loan_amount\n{GoodRow},5\n")));
        Assert.Contains(error.Errors, e => e.Column == "loan_amount" && e.Message.Contains("twice", StringComparison.Ordinal));
    }
}

public sealed class DatasetCsvHeaderTests
{
    private const string Header = "wallet_age_days,total_transactions,total_volume_usd,defi_interactions,loan_amount,collateral_value_usd,term_months,previous_loans,successful_repayments,defaults,reputation_score,default_event";

    [Fact]
    public void Read_BlankHeaderName_IsRejectedLikeTheScoringFiles()
    {
        var error = Assert.Throws<DatasetFormatException>(() => DatasetCsvReader.Read(new StringReader($"{Header},\n365,150,50000,25,1000,1500,3,2,2,0,75,0,\n")));

        Assert.Contains("line 1, column 13: the header name is blank", error.Message, StringComparison.Ordinal);
    }
}

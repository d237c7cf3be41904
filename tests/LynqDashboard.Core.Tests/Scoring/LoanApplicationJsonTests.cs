using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Tests.Scoring;

public sealed class LoanApplicationJsonTests
{
    private const string Example = """
        {"wallet_address":"0xabc","wallet_age_days":365,"total_transactions":150,"total_volume_usd":50000,"defi_interactions":25,
         "loan_amount":1000,"collateral_value_usd":1500,"term_months":3}
        """;

    [Fact]
    public void TryParse_MinimalApplication_AppliesContractDefaults()
    {
        Assert.True(LoanApplicationJson.TryParse(Example, out var application, out var errors), string.Join(";", errors.Keys));
        Assert.Equal(50, application!.ReputationScore);
        Assert.Equal(0, application.PreviousLoans);
        Assert.Equal(1.5, application.CollateralRatio);
    }

    [Fact]
    public void TryParse_ManyProblems_NamesEveryBadField()
    {
        var json = """{"wallet_age_days":-1,"total_transactions":"150","total_volume_usd":50000,"defi_interactions":2.5,"loan_amount":0,"collateral_value_usd":1500,"term_months":37,"reputation_score":101,"collateral_ratio":2,"shoe_size":44}""";

        Assert.False(LoanApplicationJson.TryParse(json, out var application, out var errors));
        Assert.Null(application);
        Assert.Equal(
            ["collateral_ratio", "defi_interactions", "loan_amount", "reputation_score", "shoe_size", "term_months", "total_transactions", "wallet_address", "wallet_age_days"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("string", errors["total_transactions"][0], StringComparison.Ordinal);
        Assert.Contains("required", errors["wallet_address"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    public void TryParse_NotAnObject_ReportsTheBody(string json)
    {
        Assert.False(LoanApplicationJson.TryParse(json, out _, out var errors));
        Assert.True(errors.ContainsKey("body"));
    }
}

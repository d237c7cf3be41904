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

public sealed class LoanApplicationJsonEdgeTests
{
    private const string Rest = """
        "wallet_age_days":365,"total_transactions":150,"total_volume_usd":50000,"defi_interactions":25,"collateral_value_usd":1500,"term_months":3
        """;

    [Theory]
    [InlineData("loan_amount", "1e-300", "at least 0.01")]
    [InlineData("collateral_value_usd", "1e308", "at most 1,000,000,000,000")]
    [InlineData("total_volume_usd", "1e39", "at most 1,000,000,000,000")]
    [InlineData("total_transactions", "1e300", "at most 1,000,000,000")]
    [InlineData("previous_loans", "1e300", "at most 1,000,000,000")]
    [InlineData("wallet_age_days", "36501", "at most 36,500")]
    [InlineData("defaults", "123456789012345678901234567890", "at most 1,000,000,000")]
    [InlineData("total_volume_usd", "1e+999", "out of range")]
    [InlineData("term_months", "-1e-320", "whole number")]
    public void TryParse_FiniteValueBeyondTheRealisticMaximum_NamesTheFieldAndTheLimit(string field, string number, string message)
    {
        var json = Application(field, number);

        Assert.False(LoanApplicationJson.TryParse(json, out _, out var errors));

        Assert.Contains(message, Assert.Single(errors[field]), StringComparison.Ordinal);
        Assert.Single(errors);
    }

    [Theory]
    [InlineData("null", "not null")]
    [InlineData("true", "not a boolean")]
    [InlineData("[1]", "not an array")]
    [InlineData("{\"value\":1}", "not an object")]
    [InlineData("\"5\"", "not a string")]
    public void TryParse_WrongJsonType_SaysWhichTypeCame(string value, string message)
    {
        Assert.False(LoanApplicationJson.TryParse(Application("term_months", value), out _, out var errors));
        Assert.Contains(message, errors["term_months"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_NegativeZeroAndSubnormal_AreValidValues()
    {
        Assert.True(LoanApplicationJson.TryParse(Application("defaults", "-0", "\"total_volume_usd\":5e-324,"), out var application, out var errors), string.Join(";", errors.Keys));
        Assert.Equal(0, application!.Defaults);
    }

    [Theory]
    [InlineData("{\"\\ud800\":1,\"wallet_address\":\"0x1\"}", "body")]
    [InlineData("{\"wallet_address\":\"0x\\udc00\"," + "\"loan_amount\":1000}", "wallet_address")]
    public void TryParse_LoneSurrogateEscape_IsAProblemNotACrash(string json, string field)
    {
        Assert.False(LoanApplicationJson.TryParse(json, out _, out var errors));
        Assert.Contains("surrogate", errors[field][0], StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_BytesThatAreNotUtf8_AreRefusedAsTheBody()
    {
        byte[] latin1Wallet = [.. "{\"wallet_address\":\""u8, 0xE9, 0xFF, .. "\"}"u8];
        byte[] latin1Name = [.. "{\""u8, 0xE9, .. "\":1}"u8];
        byte[] latin1Body = [0xE9, .. "{}"u8];
        byte[] utf16 = [0xFF, 0xFE, .. System.Text.Encoding.Unicode.GetBytes("{}")];

        Assert.False(LoanApplicationJson.TryParse(latin1Wallet, out _, out var wallet));
        Assert.False(LoanApplicationJson.TryParse(latin1Name, out _, out var name));
        Assert.False(LoanApplicationJson.TryParse(latin1Body, out _, out var body));
        Assert.False(LoanApplicationJson.TryParse(utf16, out _, out var wide));

        Assert.Contains("not UTF-8", wallet["wallet_address"][0], StringComparison.Ordinal);
        Assert.Contains("not UTF-8", name["body"][0], StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8 JSON", body["body"][0], StringComparison.Ordinal);
        Assert.Contains("UTF-16", wide["body"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Utf8ByteOrderMark_IsAccepted()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(Application("loan_amount", "1000"))];

        Assert.True(LoanApplicationJson.TryParse(body, out var application, out var errors), string.Join(";", errors.Keys));
        Assert.Equal(1000, application!.LoanAmount);
    }

    [Fact]
    public void TryParse_ThousandsOfProperties_IsOneProblemWithTheBody()
    {
        var json = "{" + string.Join(',', Enumerable.Range(0, 20_000).Select(i => $"\"f{i}\":{i}")) + "}";

        Assert.False(LoanApplicationJson.TryParse(json, out _, out var errors));

        Assert.Equal(["body"], errors.Keys);
        Assert.Contains("more than 64 properties", errors["body"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_DeepNesting_IsRefusedAsTheBody()
    {
        var json = "{\"loan_amount\":" + new string('[', 200) + new string(']', 200) + "}";

        Assert.False(LoanApplicationJson.TryParse(json, out _, out var errors));
        Assert.Contains("depth", errors["body"][0], StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("\"\"", "non-empty")]
    [InlineData("\"0x\\u0000\"", "control characters")]
    [InlineData("\"a\\tb\"", "control characters")]
    [InlineData("42", "not a number")]
    public void TryParse_BadWalletAddress_NamesIt(string wallet, string message)
    {
        var json = $$"""{"wallet_address":{{wallet}},"loan_amount":1000,{{Rest}}}""";
        Assert.False(LoanApplicationJson.TryParse(json, out _, out var errors));
        Assert.Contains(message, errors["wallet_address"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WalletAddressOverTheLimit_SaysTheLimit()
    {
        var json = $$"""{"wallet_address":"{{new string('a', LoanFeatures.MaxWalletAddressLength + 1)}}","loan_amount":1000,{{Rest}}}""";
        Assert.False(LoanApplicationJson.TryParse(json, out _, out var errors));
        Assert.Contains("at most 128 characters", errors["wallet_address"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_UnicodeWalletAndUnknownKeys_AreReadAndEchoed()
    {
        var emojiKey = "\u202Eamount\U0001F4B0";
        var wallet = "0x\u200F\U0001F680";
        var json = $$"""{"wallet_address":"{{wallet}}","{{emojiKey}}":1,"loan_amount":1000,{{Rest}}}""";

        Assert.False(LoanApplicationJson.TryParse(json, out _, out var errors));

        Assert.Equal([emojiKey], errors.Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void TryParse_BlankPropertyName_IsAProblemWithTheBody(string name)
    {
        Assert.False(LoanApplicationJson.TryParse(Application(name, "1"), out _, out var errors));
        Assert.Equal(["body"], errors.Keys);
        Assert.Contains("blank name", errors["body"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_FieldInTheWrongCase_SuggestsTheRealName()
    {
        Assert.False(LoanApplicationJson.TryParse(Application("Loan_Amount", "5", "\"loan_amount\":1000,"), out _, out var errors));
        Assert.Contains("did you mean loan_amount", errors["Loan_Amount"][0], StringComparison.Ordinal);
    }

    private static string Application(string field, string value, string extra = "")
    {
        var fields = new Dictionary<string, string>
        {
            ["wallet_address"] = "\"0xabc\"", ["wallet_age_days"] = "365", ["total_transactions"] = "150", ["total_volume_usd"] = "50000",
            ["defi_interactions"] = "25", ["loan_amount"] = "1000", ["collateral_value_usd"] = "1500", ["term_months"] = "3",
        };
        fields[field] = value;
        var body = string.Join(',', fields.Where(f => !extra.Contains($"\"{f.Key}\"", StringComparison.Ordinal)).Select(f => $"\"{f.Key}\":{f.Value}"));
        return "{" + extra + body + "}";
    }
}

using System.Text;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Tests.Scoring;

public sealed class LoanBatchJsonTests
{
    private const string Good = """
        {"wallet_address":"0xabc","wallet_age_days":365,"total_transactions":150,"total_volume_usd":50000,"defi_interactions":25,"loan_amount":1000,"collateral_value_usd":1500,"term_months":3}
        """;

    [Fact]
    public void TryParse_ItemsThatAreNotObjects_AreBadItemsWhileTheGoodOnesAreRead()
    {
        var body = $$"""{"applications":[1,"x",null,[],true,{{Good}}]}""";

        Assert.True(LoanBatchJson.TryParse(Encoding.UTF8.GetBytes(body), 100, out var entries, out _));

        Assert.Equal(6, entries.Count);
        Assert.All(entries.Take(5), e => Assert.Contains("must be a JSON object", e.Errors![LoanBatchJson.ItemField][0], StringComparison.Ordinal));
        Assert.NotNull(entries[5].Application);
    }

    [Fact]
    public void TryParse_ItemWithIssueValues_IsReportedByField()
    {
        var bad = Good.Replace("\"loan_amount\":1000", "\"loan_amount\":1e-300", StringComparison.Ordinal)
            .Replace("\"total_volume_usd\":50000", "\"total_volume_usd\":1e39", StringComparison.Ordinal);

        Assert.True(LoanBatchJson.TryParse(Encoding.UTF8.GetBytes($$"""{"applications":[{{Good}},{{bad}}]}"""), 100, out var entries, out _));

        Assert.NotNull(entries[0].Application);
        Assert.Equal(["loan_amount", "total_volume_usd"], entries[1].Errors!.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TryParse_DeeplyNestedItem_IsOneBadItem()
    {
        var deep = "{\"loan_amount\":" + new string('[', 150) + new string(']', 150) + "}";

        Assert.True(LoanBatchJson.TryParse(Encoding.UTF8.GetBytes($$"""{"applications":[{{deep}},{{Good}}]}"""), 100, out var entries, out _));

        Assert.Contains("not an array", entries[0].Errors!["loan_amount"][0], StringComparison.Ordinal);
        Assert.NotNull(entries[1].Application);
    }

    [Theory]
    [InlineData("{}", "applications", "is required")]
    [InlineData("{\"applications\":{}}", "applications", "must be an array")]
    [InlineData("{\"applications\":[]}", "applications", "1 to 100")]
    [InlineData("{\"applications\":[{}],\"applications\":[{}]}", "applications", "more than once")]
    [InlineData("{\"applications\":[{}],\"callback\":\"x\"}", "callback", "not a field of a batch")]
    [InlineData("[]", "body", "must be a JSON object")]
    [InlineData("{\"applications\":[{}]", "body", "not valid UTF-8 JSON")]
    [InlineData("", "body", "is empty")]
    public void TryParse_WrongShape_IsRefusedNamingTheField(string body, string field, string message)
    {
        Assert.False(LoanBatchJson.TryParse(Encoding.UTF8.GetBytes(body), 100, out var entries, out var errors));

        Assert.Empty(entries);
        Assert.Contains(message, errors[field][0], StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_MoreItemsThanAllowed_SaysTheLimit()
    {
        var body = "{\"applications\":[" + string.Join(',', Enumerable.Repeat("{}", 11)) + "]}";
        Assert.False(LoanBatchJson.TryParse(Encoding.UTF8.GetBytes(body), 10, out _, out var errors));
        Assert.Contains("1 to 10 applications (got 11)", errors["applications"][0], StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Web.Tests.Endpoints;

// Hand-picked cases: the exact values from the issue, lone surrogates (500 before) and other encodings, the CSV endpoint and the OpenAPI schema.
public sealed partial class ScoringInputTests
{
    private const string Applicant = """
        {"wallet_address":"0xabc","wallet_age_days":365,"total_transactions":150,"total_volume_usd":50000,"defi_interactions":25,
         "loan_amount":1000,"collateral_value_usd":1500,"term_months":3,"previous_loans":2,"successful_repayments":2,"defaults":0,"reputation_score":75}
        """;

    private const string CsvHeader = "wallet_address,wallet_age_days,total_transactions,total_volume_usd,defi_interactions,loan_amount,collateral_value_usd,term_months";

    [Theory]
    [InlineData("loan_amount", "1e-300", "must be at least 0.01")]
    [InlineData("collateral_value_usd", "1e308", "must be at most 1,000,000,000,000")]
    [InlineData("total_volume_usd", "1e39", "must be at most 1,000,000,000,000")]
    [InlineData("total_transactions", "1e300", "must be at most 1,000,000,000")]
    [InlineData("defaults", "1e300", "must be at most 1,000,000,000")]
    [InlineData("wallet_age_days", "1e300", "must be at most 36,500")]
    public async Task Score_IssueValue_Answers422NamingTheField(string field, string value, string message)
    {
        var (status, text) = await PostAsync("/api/ml/credit-score", Utf8(With(field, value)), "application/json");

        Assert.Equal(422, status);
        using var problem = JsonDocument.Parse(text);
        var errors = problem.RootElement.GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(p => p.Name));
        Assert.Contains(message, errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lone surrogate in a value", "wallet_address")]
    [InlineData("lone surrogate in a key", "body")]
    [InlineData("UTF-16 body", "body")]
    [InlineData("Latin-1 byte in a value", "wallet_address")]
    public async Task Score_LoneSurrogateOrBytesThatAreNotUtf8_Answer422NamingTheField(string what, string field)
    {
        byte[] body = what switch
        {
            "lone surrogate in a value" => Utf8(Applicant.Replace("\"0xabc\"", "\"0x\\ud800\"", StringComparison.Ordinal)),
            "lone surrogate in a key" => Utf8(Applicant.Replace("\"defaults\"", "\"\\udc00\"", StringComparison.Ordinal)),
            "UTF-16 body" => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Applicant)],
            _ => [.. Utf8(Applicant[..Applicant.IndexOf("abc", StringComparison.Ordinal)]), 0xE9, .. Utf8(Applicant[(Applicant.IndexOf("abc", StringComparison.Ordinal) + 3)..])],
        };

        var (status, text) = await PostAsync("/api/ml/credit-score", body, "application/json");

        Assert.True(status == 422, $"{what}: {status} {text}");
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{what}: {text}");
    }

    [Fact]
    public async Task Batch_OneBadItemAmongGoodOnes_Answers200_ScoringTheGoodAndNamingTheBad()
    {
        var body = $$"""{"applications":[{{Applicant}},{{With("total_volume_usd", "1e39")}},"not an application",{{Applicant}},{{With("Loan_Amount", "5")}}]}""";

        var (status, text) = await PostAsync("/api/ml/credit-score/batch", Utf8(body), "application/json");

        Assert.Equal(200, status);
        using var document = JsonDocument.Parse(text);
        var results = document.RootElement.GetProperty("results");
        Assert.Equal((2, 3), (document.RootElement.GetProperty("scored").GetInt32(), document.RootElement.GetProperty("rejected").GetInt32()));
        Assert.InRange(results[0].GetProperty("result").GetProperty("default_probability").GetDouble(), 0, 1);
        Assert.Contains("at most", results[1].GetProperty("errors").GetProperty("total_volume_usd")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("must be a JSON object", results[2].GetProperty("errors").GetProperty("application")[0].GetString(), StringComparison.Ordinal);
        Assert.True(results[3].TryGetProperty("result", out _));

        // The caller's own field name comes back as sent, not rewritten to snake_case.
        Assert.Contains("did you mean loan_amount", results[4].GetProperty("errors").GetProperty("Loan_Amount")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_MixedFile_Answers200_WithOneRowPerLineAndTheProblemsSaid()
    {
        var csv = $"\uFEFF{CsvHeader}\r\n0xa,365,150,50000,25,1000,1500,3\r\n0xb,365,150,1e39,25,1000,1500,3\r\n=cmd,365,150,50000,25,1000,1500,3\r\n0xd,30,10,500,2,900,950,12\r\n";

        using var content = new ByteArrayContent(Utf8(csv));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var response = await fixture.Client.PostAsync("/api/ml/credit-score/batch.csv", content, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("2", response.Headers.GetValues("X-Rows-Scored").Single());
        Assert.Equal("2", response.Headers.GetValues("X-Rows-Rejected").Single());
        var rows = ReadCsv(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(5, rows.Count);
        Assert.Equal(["0xa", "365", "150", "50000", "25", "1000", "1500", "3"], rows[1][..8]);
        Assert.Equal("line 3: total_volume_usd must be at most 1,000,000,000,000 (got 1e39)", rows[2][^1]);
        Assert.Equal("'=cmd", rows[3][0]);
        Assert.StartsWith("line 4: wallet_address: '=cmd' starts with '='", rows[3][^1], StringComparison.Ordinal);
        Assert.Equal(["0xd", "30", "10", "500", "2", "900", "950", "12"], rows[4][..8]);
        Assert.Equal(string.Empty, rows[4][^1]);
    }

    [Theory]
    [InlineData(CsvHeader + ",loan_amount", "line 1, column loan_amount", "appears twice")]
    [InlineData("wallet_address,,wallet_age_days,total_transactions,total_volume_usd,defi_interactions,loan_amount,collateral_value_usd,term_months", "line 1, column 2", "blank")]
    [InlineData("wallet_address,loan_amount", "line 1, column wallet_age_days, total_transactions, total_volume_usd, defi_interactions, collateral_value_usd, term_months", "missing column(s)")]
    [InlineData("", "line 1, column 1", "empty")]
    public async Task Csv_UnusableHeader_Answers422NamingLineAndColumn(string header, string key, string message)
    {
        var (status, text) = await PostAsync("/api/ml/credit-score/batch.csv", Utf8(header.Length == 0 ? string.Empty : $"{header}\n0xa,1\n"), "text/csv");

        Assert.Equal(422, status);
        using var problem = JsonDocument.Parse(text);
        Assert.Contains(message, problem.RootElement.GetProperty("errors").GetProperty(key)[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_OverTenMegabytes_Answers413_AndWithoutAKey401()
    {
        var (status, _) = await PostAsync("/api/ml/credit-score/batch.csv", new byte[(10 << 20) + 1], "text/csv");
        Assert.Equal(413, status);

        using var anonymous = new HttpClient { BaseAddress = fixture.Address };
        using var content = new StringContent($"{CsvHeader}\n0xa,365,150,50000,25,1000,1500,3\n", Encoding.UTF8, "text/csv");
        using var response = await anonymous.PostAsync("/api/ml/credit-score/batch.csv", content, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_RequestSchema_IsWrittenFromTheFeatureSpecification()
    {
        using var document = JsonDocument.Parse(await fixture.Client.GetStringAsync("/openapi/v1.json", Ct));
        var root = document.RootElement;
        var application = root.GetProperty("components").GetProperty("schemas").GetProperty("LoanApplication");
        var properties = application.GetProperty("properties");

        Assert.Equal([LoanApplicationJson.WalletAddressField, .. LoanFeatures.Supplied.Select(f => f.Name)], properties.EnumerateObject().Select(p => p.Name));
        foreach (var spec in LoanFeatures.Supplied)
        {
            var field = properties.GetProperty(spec.Name);
            Assert.Equal(spec.IsInteger ? "integer" : "number", field.GetProperty("type").GetString());
            Assert.Equal(spec.Minimum, field.GetProperty("minimum").GetDouble());
            Assert.Equal(spec.Maximum, field.GetProperty("maximum").GetDouble());
            Assert.StartsWith(spec.Description, field.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal(spec.Default, field.TryGetProperty("default", out var value) ? value.GetDouble() : null);
        }

        Assert.Equal(LoanFeatures.MaxWalletAddressLength, properties.GetProperty("wallet_address").GetProperty("maxLength").GetInt32());
        Assert.False(application.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(
            ["collateral_value_usd", "defi_interactions", "loan_amount", "term_months", "total_transactions", "total_volume_usd", "wallet_address", "wallet_age_days"],
            application.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));

        var paths = root.GetProperty("paths");
        Assert.Equal("#/components/schemas/LoanApplication", RequestSchema(paths, "/api/ml/credit-score", "application/json").GetProperty("$ref").GetString());
        var applications = RequestSchema(paths, "/api/ml/credit-score/batch", "application/json").GetProperty("properties").GetProperty("applications");
        Assert.Equal(10_000, applications.GetProperty("maxItems").GetInt32());
        Assert.Equal("#/components/schemas/LoanApplication", applications.GetProperty("items").GetProperty("$ref").GetString());
        Assert.Contains("wallet_address", RequestSchema(paths, "/api/ml/credit-score/batch.csv", "text/csv").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.False(root.GetProperty("components").GetProperty("schemas").TryGetProperty("LoanApplicationBody", out _), "the hand-written OpenAPI record is gone");
    }

    private static JsonElement RequestSchema(JsonElement paths, string path, string contentType) =>
        paths.GetProperty(path).GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty(contentType).GetProperty("schema");

    private static string With(string field, string value)
    {
        using var applicant = JsonDocument.Parse(Applicant);
        var fields = applicant.RootElement.EnumerateObject().Where(p => !string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase)).Select(p => $"\"{p.Name}\":{p.Value.GetRawText()}");
        return "{" + string.Join(',', fields.Append($"\"{field}\":{value}")) + "}";
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}

using System.Net;
using System.Text;
using System.Text.Json;
using LynqDashboard.Web.Tests.Shared;

namespace LynqDashboard.Web.Tests.Endpoints;

[Collection(AppHostCollection.Name)]
public sealed class ScoringApiTests(ScoringApiFixture fixture, ITestOutputHelper output) : IClassFixture<ScoringApiFixture>
{
    private const string Applicant = """
        {"wallet_address":"0xabc","wallet_age_days":365,"total_transactions":150,"total_volume_usd":50000,"defi_interactions":25,
         "loan_amount":1000,"collateral_value_usd":1500,"term_months":3,"previous_loans":2,"successful_repayments":2,"defaults":0,"reputation_score":75}
        """;

    // A new wallet with a bad history and thin collateral: declined by any model trained on LYNQ data.
    private const string Risky = """
        {"wallet_address":"0xrisky","wallet_age_days":5,"total_transactions":3,"total_volume_usd":200,"defi_interactions":0,
         "loan_amount":5000,"collateral_value_usd":500,"term_months":36,"previous_loans":4,"successful_repayments":0,"defaults":4,"reputation_score":5}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_WithoutKey_ReportsTheServingModel()
    {
        using var client = fixture.Client(key: null);
        using var health = JsonDocument.Parse(await client.GetStringAsync("/health", Ct));
        Assert.True(health.RootElement.GetProperty("model_loaded").GetBoolean());
        Assert.Equal("1", health.RootElement.GetProperty("model_version").GetString());
        Assert.Equal("ok", health.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Score_ExampleApplicant_AnswersTheLynqContract()
    {
        using var client = fixture.Client();
        using var response = await client.PostAsync("/api/ml/credit-score", Json(Applicant), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.Contains("X-Request-ID"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var r = body.RootElement;
        var pd = r.GetProperty("default_probability").GetDouble();
        Assert.InRange(pd, 0, 1);
        Assert.Equal((int)Math.Round(((1 - pd) * 900) + 100), r.GetProperty("credit_score").GetInt32());
        Assert.Matches("^(VERY_LOW|LOW|MEDIUM|HIGH|VERY_HIGH)$", r.GetProperty("risk_level").GetString());
        Assert.Matches("^(APPROVE|APPROVE_WITH_CONDITIONS|MANUAL_REVIEW|REJECT)$", r.GetProperty("recommended_action").GetString());
        foreach (var number in new[] { "fraud_score", "anomaly_score", "interest_rate_suggestion", "max_loan_amount", "confidence_score", "processing_time_ms" })
        {
            Assert.Equal(JsonValueKind.Number, r.GetProperty(number).ValueKind);
        }

        Assert.Equal("1", r.GetProperty("model_version").GetString());
        Assert.False(r.GetProperty("is_fallback").GetBoolean());
        var factor = r.GetProperty("top_factors")[0];
        Assert.Matches("^(positive|negative)$", factor.GetProperty("impact").GetString());
        Assert.NotNull(factor.GetProperty("feature").GetString());
        Assert.Equal(JsonValueKind.Number, factor.GetProperty("contribution").ValueKind);
    }

    [Theory]
    [InlineData("", "body")]
    [InlineData("{not json", "body")]
    [InlineData("[1,2]", "body")]
    [InlineData("{\"wallet_address\":\"0x1\",\"wallet_age_days\":365,\"total_transactions\":150,\"total_volume_usd\":50000,\"defi_interactions\":25,\"collateral_value_usd\":1500,\"term_months\":3}", "loan_amount")]
    [InlineData("{\"wallet_address\":\"0x1\",\"wallet_age_days\":\"365\",\"total_transactions\":150,\"total_volume_usd\":50000,\"defi_interactions\":25,\"loan_amount\":1000,\"collateral_value_usd\":1500,\"term_months\":3}", "wallet_age_days")]
    [InlineData("{\"wallet_address\":\"0x1\",\"wallet_age_days\":365,\"total_transactions\":150,\"total_volume_usd\":50000,\"defi_interactions\":25,\"loan_amount\":1000,\"collateral_value_usd\":1500,\"term_months\":3,\"defaults\":-1}", "defaults")]
    [InlineData("{\"wallet_address\":\"0x1\",\"wallet_age_days\":365,\"total_transactions\":150,\"total_volume_usd\":50000,\"defi_interactions\":25,\"loan_amount\":1000,\"collateral_value_usd\":1500,\"term_months\":0}", "term_months")]
    [InlineData("{\"wallet_address\":\"0x1\",\"wallet_age_days\":365,\"total_transactions\":150,\"total_volume_usd\":50000,\"defi_interactions\":25,\"loan_amount\":1000,\"collateral_value_usd\":1500,\"term_months\":37}", "term_months")]
    [InlineData("{\"wallet_address\":\"0x1\",\"wallet_age_days\":365,\"total_transactions\":150,\"total_volume_usd\":50000,\"defi_interactions\":25,\"loan_amount\":1000,\"collateral_value_usd\":1500,\"term_months\":3,\"reputation_score\":101}", "reputation_score")]
    [InlineData("{\"wallet_address\":\"0x1\",\"wallet_age_days\":365,\"total_transactions\":150,\"total_volume_usd\":50000,\"defi_interactions\":25,\"loan_amount\":0,\"collateral_value_usd\":1500,\"term_months\":3}", "loan_amount")]
    [InlineData("{\"wallet_address\":\"0x1\",\"wallet_age_days\":365,\"total_transactions\":150,\"total_volume_usd\":1e999,\"defi_interactions\":25,\"loan_amount\":1000,\"collateral_value_usd\":1500,\"term_months\":3}", "total_volume_usd")]
    [InlineData("{\"wallet_address\":\"0x1\",\"wallet_age_days\":365,\"total_transactions\":150,\"total_volume_usd\":NaN,\"defi_interactions\":25,\"loan_amount\":1000,\"collateral_value_usd\":1500,\"term_months\":3}", "body")]
    [InlineData("{\"wallet_address\":\"0x1\",\"wallet_age_days\":365,\"total_transactions\":150,\"total_volume_usd\":50000,\"defi_interactions\":25,\"loan_amount\":1000,\"collateral_value_usd\":1500,\"term_months\":3,\"credit_limit\":5}", "credit_limit")]
    public async Task Score_InvalidInput_Answers422NamingTheField(string body, string field)
    {
        using var client = fixture.Client();
        using var response = await client.PostAsync("/api/ml/credit-score", Json(body), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.Contains("X-Request-ID"));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"errors do not name {field}: {problem.RootElement}");
    }

    [Fact]
    public async Task Score_ManyBadFields_NamesEveryOne()
    {
        using var client = fixture.Client();
        using var response = await client.PostAsync("/api/ml/credit-score", Json("""{"wallet_age_days":-1,"term_months":99,"reputation_score":-5}"""), Ct);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var named = problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "wallet_address", "wallet_age_days", "term_months", "reputation_score", "loan_amount", "total_volume_usd" }, named);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key-0123456789abcdef")]
    public async Task Score_MissingOrWrongKey_Answers401(string? key)
    {
        using var client = fixture.Client(key);
        using var response = await client.PostAsync("/api/ml/credit-score", Json(Applicant), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(response.Headers.Contains("X-Request-ID"));
        Assert.DoesNotContain(ScoringApiFixture.Key, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var info = await client.GetAsync("/model/info", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, info.StatusCode);
    }

    [Fact]
    public async Task Score_BodyOverOneMegabyte_Answers413()
    {
        using var client = fixture.Client();
        var huge = "{\"wallet_address\":\"" + new string('a', 1_100_000) + "\"}";
        using var response = await client.PostAsync("/api/ml/credit-score", Json(huge), Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task RequestId_FromTheCaller_IsEchoed()
    {
        using var client = fixture.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ml/credit-score") { Content = Json(Applicant) };
        request.Headers.Add("X-Request-ID", "lending-backend-42");
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal("lending-backend-42", response.Headers.GetValues("X-Request-ID").Single());
    }

    [Fact]
    public async Task ModelInfo_ListsTheTwelveFeaturesAndMetrics()
    {
        using var client = fixture.Client();
        using var info = JsonDocument.Parse(await client.GetStringAsync("/model/info", Ct));
        var root = info.RootElement;
        Assert.Equal(12, root.GetProperty("features_count").GetInt32());
        Assert.Equal(Core.Features.LoanFeatures.Names, root.GetProperty("features").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("local", root.GetProperty("model_source").GetString());
        Assert.Equal("production", root.GetProperty("selection").GetString());
        Assert.InRange(root.GetProperty("metrics").GetProperty("roc_auc").GetDouble(), 0.6, 1.0);
    }

    [Fact]
    public async Task Batch_MixedItems_ScoresTheGoodAndNamesTheBadByIndex()
    {
        using var client = fixture.Client();
        var bad = """{"wallet_address":"0x2","wallet_age_days":-4}""";
        using var response = await client.PostAsync("/api/ml/credit-score/batch", Json($$"""{"applications":[{{Applicant}},{{bad}},{{Applicant}}]}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(2, body.RootElement.GetProperty("scored").GetInt32());
        Assert.Equal(1, body.RootElement.GetProperty("rejected").GetInt32());
        var second = body.RootElement.GetProperty("results")[1];
        Assert.Equal(1, second.GetProperty("index").GetInt32());
        Assert.True(second.GetProperty("errors").TryGetProperty("wallet_age_days", out _));
    }

    [Fact]
    public async Task Batch_TenThousand_IsAccepted_AndOneMoreIsNot()
    {
        using var client = fixture.Client();
        var compact = JsonSerializer.Serialize(JsonDocument.Parse(Applicant).RootElement);
        var tenThousand = "{\"applications\":[" + string.Join(',', Enumerable.Repeat(compact, 10_000)) + "]}";

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var ok = await client.PostAsync("/api/ml/credit-score/batch", Json(tenThousand), Ct);
        output.WriteLine($"batch of 10,000 over HTTP: {clock.ElapsedMilliseconds} ms");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using (var body = JsonDocument.Parse(await ok.Content.ReadAsStringAsync(Ct)))
        {
            Assert.Equal(10_000, body.RootElement.GetProperty("scored").GetInt32());
        }

        var tooMany = "{\"applications\":[" + string.Join(',', Enumerable.Repeat("{}", 10_001)) + "]}";
        using var rejected = await client.PostAsync("/api/ml/credit-score/batch", Json(tooMany), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.StatusCode);
        Assert.Contains("applications", await rejected.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_DeclinedApplicant_CarriesTheSameReasonCodes_InTheSingleTheBatchAndTheCsvAnswer()
    {
        using var client = fixture.Client();
        using var single = await client.PostAsync("/api/ml/credit-score", Json(Risky), Ct);
        using var answer = JsonDocument.Parse(await single.Content.ReadAsStringAsync(Ct));
        var r = answer.RootElement;
        Assert.NotEqual("APPROVE", r.GetProperty("recommended_action").GetString());
        Assert.Equal("reasons-1", r.GetProperty("reason_catalogue_version").GetString());
        var reasons = r.GetProperty("reason_codes").EnumerateArray().Select(e => new Core.Scoring.ReasonCode(
            e.GetProperty("code").GetString()!, e.GetProperty("reason").GetString()!, e.GetProperty("feature").GetString()!)).ToList();
        Assert.InRange(reasons.Count, 1, Core.Scoring.ReasonCatalogue.MaxReasons);
        Assert.All(reasons, c => Assert.Equal(Core.Scoring.ReasonCatalogue.Default.Entries[c.Feature], new Core.Scoring.ReasonEntry(c.Code, c.Reason)));

        // The batch without top factors (the fast path) and the CSV give the same reasons.
        using var batch = await client.PostAsync("/api/ml/credit-score/batch?explain=false", Json($$"""{"applications":[{{Applicant}},{{Risky}}]}"""), Ct);
        using var batchAnswer = JsonDocument.Parse(await batch.Content.ReadAsStringAsync(Ct));
        var second = batchAnswer.RootElement.GetProperty("results")[1].GetProperty("result");
        Assert.Equal(0, second.GetProperty("top_factors").GetArrayLength());
        Assert.Equal(reasons.Select(c => c.Code), second.GetProperty("reason_codes").EnumerateArray().Select(e => e.GetProperty("code").GetString()));
        var first = batchAnswer.RootElement.GetProperty("results")[0].GetProperty("result");
        Assert.Equal(JsonValueKind.Array, first.GetProperty("reason_codes").ValueKind);

        var fields = JsonDocument.Parse(Risky).RootElement.EnumerateObject().ToList();
        var csv = $"{string.Join(',', fields.Select(f => f.Name))}\n{string.Join(',', fields.Select(f => f.Value.ToString()))}\n";
        using var scored = await client.PostAsync("/api/ml/credit-score/batch.csv", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);
        var lines = (await scored.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(",decision_reason,reason_codes,policy_version,model_version,", lines[0], StringComparison.Ordinal);
        Assert.Contains($",{string.Join(';', reasons.Select(c => c.Code))},{r.GetProperty("policy_version").GetInt32()},1,", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_DescribesTheScoringEndpoints()
    {
        using var client = fixture.Client(key: null);
        var document = await client.GetStringAsync("/openapi/v1.json", Ct);
        Assert.Contains("/api/ml/credit-score", document, StringComparison.Ordinal);
        Assert.Contains("/api/ml/credit-score/batch", document, StringComparison.Ordinal);
        Assert.Contains("/model/info", document, StringComparison.Ordinal);
        Assert.Contains("\"reason_codes\"", document, StringComparison.Ordinal);
        Assert.Contains("\"reason_catalogue_version\"", document, StringComparison.Ordinal);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

[Collection(AppHostCollection.Name)]
public sealed class ScoringLimitTests
{
    [Fact]
    public async Task Score_OverThePerKeyLimit_Answers429WithRetryAfter()
    {
        await using var factory = new DashboardFactory { Settings = { ["Lynq:Scoring:ApiKeys:0"] = ScoringApiFixture.Key, ["Lynq:Scoring:PermitsPerMinute"] = "3" } };
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-KEY", ScoringApiFixture.Key);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            last = await client.GetAsync("/model/info", TestContext.Current.CancellationToken);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(last!.Headers.RetryAfter is not null, "429 without Retry-After");
        Assert.True(last.Headers.Contains("X-Request-ID"));
        last.Dispose();
    }

    [Fact]
    public async Task Score_WithoutAnyModel_AnswersFromTheFallback()
    {
        await using var factory = new DashboardFactory { Settings = { ["Lynq:Scoring:ApiKeys:0"] = ScoringApiFixture.Key } };
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-KEY", ScoringApiFixture.Key);
        using var response = await client.PostAsync("/api/ml/credit-score", new StringContent("""
            {"wallet_address":"0xabc","wallet_age_days":365,"total_transactions":150,"total_volume_usd":50000,"defi_interactions":25,"loan_amount":1000,"collateral_value_usd":1500,"term_months":3}
            """, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(body.RootElement.GetProperty("is_fallback").GetBoolean());
        Assert.Equal("rule-based-fallback", body.RootElement.GetProperty("model_version").GetString());
    }
}

using System.Diagnostics;
using System.Text.Json;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Web.Configuration;
using LynqDashboard.Web.Scoring;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Endpoints;

/// <summary>The LYNQ ML service contract: /model/info and credit scoring, behind X-API-KEY and a per-key rate limit.</summary>
public static class ScoringEndpoints
{
    public const string RateLimitPolicy = "per-api-key";

    /// <summary>Largest single-application body accepted (1 MiB); larger ones get 413.</summary>
    public const long MaxBodyBytes = 1 << 20;

    /// <summary>
    /// Largest batch body (8 MiB): 10,000 applications take about 2.7 MB, so the 1 MiB single-request cap
    /// would make the promised batch size impossible.
    /// </summary>
    public const long MaxBatchBodyBytes = 8 << 20;

    private const string ApplicationsField = "applications";

    public static IEndpointRouteBuilder MapScoring(this IEndpointRouteBuilder app)
    {
        // Callers are services, not people: the API key is their credential, so sign-in does not apply.
        var api = app.MapGroup(string.Empty)
            .AllowAnonymous()
            .AddEndpointFilter<ApiKeyFilter>()
            .RequireRateLimiting(RateLimitPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/model/info", ModelInfo).WithName("ModelInfo").WithSummary("The model that is scoring now, its features and metrics.");
        api.MapPost("/api/ml/credit-score", ScoreAsync).WithName("CreditScore")
            .WithSummary("Scores one loan application (LYNQ contract, snake_case JSON).")
            .Accepts<LoanApplicationBody>("application/json")
            .Produces<CreditScoreResult>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapPost("/api/ml/credit-score/batch", ScoreBatchAsync).WithName("CreditScoreBatch")
            .WithSummary("Scores up to 10,000 applications: {\"applications\": [...]}; bad items are reported by index, good ones scored.")
            .Produces<BatchResponse>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    private static ModelInfoResponse ModelInfo(ActiveModel active)
    {
        var serving = active.Current;
        var config = serving.Model?.Loaded.Config;
        return new ModelInfoResponse(
            serving.Model?.Version ?? CreditScorer.FallbackVersion,
            serving.Model is not null,
            LoanFeatures.Count,
            LoanFeatures.Names,
            serving.Source,
            serving.Selection,
            config?.Metrics,
            config?.ModelType,
            config?.CreatedAt,
            serving.PromotedAt,
            serving.LoadedAt,
            serving.Model is null,
            active.LastError);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ScoreAsync(HttpContext context, ActiveModel active, CreditScorer scorer)
    {
        var body = await ReadBodyAsync(context, MaxBodyBytes);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        if (!LoanApplicationJson.TryParse(body.Text!, out var application, out var errors))
        {
            return Invalid(errors, "The application has invalid fields.");
        }

        var result = scorer.Score(application!, active.Current.Model);
        return TypedResults.Content(JsonSerializer.Serialize(result, LynqJson.Compact), "application/json");
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ScoreBatchAsync(
        HttpContext context, ActiveModel active, CreditScorer scorer, IOptions<ScoringOptions> options, bool explain = true)
    {
        var started = Stopwatch.GetTimestamp();
        var body = await ReadBodyAsync(context, MaxBatchBodyBytes);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        using var document = TryParse(body.Text!);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty(ApplicationsField, out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return Invalid(new Dictionary<string, string[]> { ["body"] = [$"must be a JSON object with an '{ApplicationsField}' array"] }, "The batch is not in the expected shape.");
        }

        var max = options.Value.MaxBatch;
        if (items.GetArrayLength() is var count && (count == 0 || count > max))
        {
            return Invalid(new Dictionary<string, string[]> { [ApplicationsField] = [$"must hold 1 to {max:N0} applications (got {count:N0})"] }, "The batch is too large or empty.");
        }

        // Parse in order, then score in parallel: one snapshot for the whole batch, so every item is scored by the same model.
        var model = active.Current.Model;
        var parsed = new (LoanApplication? Application, IReadOnlyDictionary<string, string[]>? Errors)[count];
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var problems = new Dictionary<string, List<string>>();
            var application = LoanApplicationJson.TryRead(item, problems);
            parsed[index++] = (application, application is null ? problems.ToDictionary(p => p.Key, p => p.Value.ToArray()) : null);
        }

        var results = new BatchItem[count];
        Parallel.For(0, count, i => results[i] = parsed[i].Application is { } application
            ? new BatchItem(i, scorer.Score(application, model, explain), null)
            : new BatchItem(i, null, parsed[i].Errors));

        var response = new BatchResponse(results, results.Count(r => r.Result is not null), results.Count(r => r.Errors is not null),
            model?.Version ?? CreditScorer.FallbackVersion, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return TypedResults.Content(JsonSerializer.Serialize(response, LynqJson.Compact), "application/json");
    }

    private static async Task<(string? Text, ProblemHttpResult? Problem)> ReadBodyAsync(HttpContext context, long maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        try
        {
            using var reader = new StreamReader(context.Request.Body);
            var text = await reader.ReadToEndAsync(context.RequestAborted);
            return text.Length > maxBytes ? (null, TooLarge(maxBytes)) : (text, null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBytes));
        }
    }

    private static JsonDocument? TryParse(string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ProblemHttpResult Invalid(IReadOnlyDictionary<string, string[]> errors, string title) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = title,
            Detail = string.Join("; ", errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}")),
        });

    private static ProblemHttpResult TooLarge(long maxBytes) =>
        TypedResults.Problem($"The request body is larger than {maxBytes / 1024:N0} KiB; send fewer applications per call.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");

    /// <summary>Documents the request shape for OpenAPI; the handler reads the body itself to report every bad field.</summary>
    public sealed record LoanApplicationBody(
        string WalletAddress, int WalletAgeDays, int TotalTransactions, double TotalVolumeUsd, int DefiInteractions, double LoanAmount,
        double CollateralValueUsd, int TermMonths, int PreviousLoans = 0, int SuccessfulRepayments = 0, int Defaults = 0, int ReputationScore = 50);

    public sealed record BatchItem(int Index, CreditScoreResult? Result, IReadOnlyDictionary<string, string[]>? Errors);

    public sealed record BatchResponse(IReadOnlyList<BatchItem> Results, int Scored, int Rejected, string ModelVersion, double ProcessingTimeMs);

    public sealed record ModelInfoResponse(
        string ModelVersion,
        bool ModelLoaded,
        int FeaturesCount,
        IReadOnlyList<string> Features,
        string ModelSource,
        string Selection,
        Core.Artifacts.MetricsSummary? Metrics,
        string? ModelType,
        DateTimeOffset? TrainedAt,
        DateTimeOffset? PromotedAt,
        DateTimeOffset LoadedAt,
        bool IsFallback,
        string? LastError);
}

/// <summary>
/// Refuses a request without a valid X-API-KEY with 401, before any work is done; an address that sent too many
/// wrong keys gets 429 with Retry-After before its key is even looked at (see <see cref="Security.ApiKeyGuard"/>).
/// </summary>
public sealed class ApiKeyFilter(ApiKeyRing keys, Security.ApiKeyGuard guard) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        switch (guard.Check(context.HttpContext, out var retryAfter))
        {
            case Security.KeyVerdict.Valid:
                return await next(context);
            case Security.KeyVerdict.Throttled:
                return Security.ApiKeyGuard.TooMany(context.HttpContext, retryAfter);
            default:
                return TypedResults.Problem(
                    keys.Count == 0 ? "No API keys are configured: set LYNQ_API_KEYS or Lynq:Scoring:ApiKeys." : $"Send a valid key in the {ApiKeyRing.Header} header.",
                    statusCode: StatusCodes.Status401Unauthorized, title: "Missing or wrong API key");
        }
    }
}

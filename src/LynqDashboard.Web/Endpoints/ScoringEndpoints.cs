using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LynqDashboard.Core.Challengers;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Web.Configuration;
using LynqDashboard.Web.Monitoring;
using LynqDashboard.Web.Scoring;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Endpoints;

/// <summary>
/// The LYNQ ML service contract: /model/info and credit scoring (one application, a JSON batch, a CSV file),
/// behind X-API-KEY and a per-key rate limit. No body makes these answer 500: what cannot be read is a 422
/// naming the field (or, for CSV, the line and column), and a bad item of a batch is reported while the good
/// ones are scored.
/// </summary>
public static class ScoringEndpoints
{
    public const string RateLimitPolicy = "per-api-key";

    public const string ModelInfoRoute = "/model/info";
    public const string SingleRoute = "/api/ml/credit-score";
    public const string BatchRoute = "/api/ml/credit-score/batch";
    public const string CsvRoute = "/api/ml/credit-score/batch.csv";

    /// <summary>
    /// The metrics label of one of these routes (the ones callers reach with an API key, not a cookie), or null for any
    /// other path: what the request metrics count and what skips the dashboard's cookie authentication.
    /// </summary>
    public static string? RouteLabelOf(PathString path) =>
        path.StartsWithSegments(CsvRoute) ? "batch_csv"
        : path.StartsWithSegments(BatchRoute) ? "batch"
        : path.StartsWithSegments(SingleRoute) ? "single"
        : path.StartsWithSegments(ModelInfoRoute) ? "model_info"
        : null;

    /// <summary>Largest single-application body accepted (1 MiB); larger ones get 413.</summary>
    public const long MaxBodyBytes = 1 << 20;

    /// <summary>
    /// Largest batch body (8 MiB): 10,000 applications take about 2.7 MB, so the 1 MiB single-request cap
    /// would make the promised batch size impossible.
    /// </summary>
    public const long MaxBatchBodyBytes = 8 << 20;

    /// <summary>Response headers of the CSV endpoint: how many rows were scored and how many could not be.</summary>
    public const string RowsScoredHeader = "X-Rows-Scored";

    public const string RowsRejectedHeader = "X-Rows-Rejected";

    // Field names in a batch item's errors are the caller's own (an unknown field is named as sent): no naming policy.
    private static readonly JsonSerializerOptions BatchJson = new(LynqJson.Compact) { DictionaryKeyPolicy = null };

    public static IEndpointRouteBuilder MapScoring(this IEndpointRouteBuilder app)
    {
        // Callers are services, not people: the API key is their credential, so sign-in does not apply.
        var api = app.MapGroup(string.Empty)
            .AllowAnonymous()
            .AddEndpointFilter<ApiKeyFilter>()
            .RequireRateLimiting(RateLimitPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet(ModelInfoRoute, ModelInfo).WithName("ModelInfo").WithSummary("The model that is scoring now, its features and metrics.");
        api.MapPost(SingleRoute, ScoreAsync).WithName("CreditScore")
            .WithSummary("Scores one loan application (LYNQ contract, snake_case JSON).")
            .AddOpenApiOperationTransformer(ScoringRequestSchemas.DescribeSingleAsync)
            .Produces<CreditScoreResult>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapPost(BatchRoute, ScoreBatchAsync).WithName("CreditScoreBatch")
            .WithSummary("Scores up to 10,000 applications: {\"applications\": [...]}; bad items are reported by index, good ones scored.")
            .AddOpenApiOperationTransformer(ScoringRequestSchemas.DescribeBatchAsync)
            .Produces<BatchResponse>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapPost(CsvRoute, ScoreCsvAsync).WithName("CreditScoreCsv")
            .WithSummary("Scores a CSV of applications (10 MB at most): each output row is the input row's cells as sent, then the answer's fields and an error column; a row that could not be scored keeps its cells and says why, so as many rows come back as were sent.")
            .AddOpenApiOperationTransformer(ScoringRequestSchemas.DescribeCsvAsync)
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    private static ModelInfoResponse ModelInfo(ActiveModel active, ActiveChallengers challengers)
    {
        var serving = active.Current;
        var assigned = challengers.Current;
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
            active.LastError,
            assigned.Shadow?.Number,
            assigned.Split is { } split ? new SplitInfo(split.Number, split.Percent) : null);
    }

    private static async Task<Results<Utf8JsonResult<CreditScoreResult>, ProblemHttpResult>> ScoreAsync(HttpContext context, ActiveModel active, ActiveChallengers challengers, CreditScorer scorer, DecisionRecorder ledger)
    {
        var body = await ReadBodyAsync(context, MaxBodyBytes);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        if (!LoanApplicationJson.TryParse(body.Bytes, out var application, out var errors))
        {
            return Invalid(errors, "The application has invalid fields.");
        }

        // One snapshot of production and the challengers for the answer and its shadow; the shadow is scored later, by the ledger's writer.
        var serving = active.Current;
        var assigned = challengers.Current;
        var route = ChallengerRouting.For(application!, serving, assigned);
        var result = WithArm(scorer.Score(application!, route.Model), route);

        ledger.Record(context.TraceIdentifier, DecisionChannels.Api, DecisionRecorder.CallerOf(context), application!, result, route.Model, route.Number, route.Arm, assigned.Shadow);
        return new Utf8JsonResult<CreditScoreResult>(result, LynqAnswerJson.Default.CreditScoreResult);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ScoreBatchAsync(
        HttpContext context, ActiveModel active, ActiveChallengers challengers, CreditScorer scorer, DecisionRecorder ledger, IOptions<ScoringOptions> options, bool explain = true)
    {
        var started = Stopwatch.GetTimestamp();
        var body = await ReadBodyAsync(context, MaxBatchBodyBytes);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        if (!LoanBatchJson.TryParse(body.Bytes, options.Value.MaxBatch, out var entries, out var errors))
        {
            return Invalid(errors, "The batch is not in the expected shape.");
        }

        // Read in order, then score in parallel: one snapshot for the whole batch, so every item is scored by the same model.
        var serving = active.Current;
        var assigned = challengers.Current;
        var model = serving.Model;
        var results = new BatchItem[entries.Count];
        var routes = new ScoringRoute[entries.Count];
        Parallel.For(0, entries.Count, i =>
        {
            if (entries[i].Application is { } application)
            {
                var route = routes[i] = ChallengerRouting.For(application, serving, assigned);
                results[i] = new BatchItem(i, WithArm(scorer.Score(application, route.Model, explain), route), null);
            }
            else
            {
                results[i] = new BatchItem(i, null, entries[i].Errors);
            }
        });
        ledger.RecordAll(context.TraceIdentifier, DecisionChannels.ApiBatch, DecisionRecorder.CallerOf(context),
            [.. entries.Select(e => e.Application)], [.. results.Select(r => r.Result)], model, serving.Number, routes: routes, shadow: assigned.Shadow);

        var response = new BatchResponse(results, results.Count(r => r.Result is not null), results.Count(r => r.Errors is not null),
            model?.Version ?? CreditScorer.FallbackVersion, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return TypedResults.Content(JsonSerializer.Serialize(response, BatchJson), "application/json");
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ScoreCsvAsync(HttpContext context, ActiveModel active, ActiveChallengers challengers, CreditScorer scorer, DecisionRecorder ledger)
    {
        var body = await ReadBodyAsync(context, ApplicationCsv.MaxFileBytes);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        // Bytes that are not UTF-8 become U+FFFD: a bad number, or a refused wallet_address, on their own line.
        using var text = new StreamReader(new MemoryStream(body.Bytes.ToArray(), writable: false), new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true);
        var upload = ApplicationCsv.Read(text, ApplicationCsv.DefaultMaxRows, context.RequestAborted);
        if (!upload.Usable)
        {
            return Invalid(upload.Errors, upload.UnlistedErrors, "The file cannot be read.");
        }

        if (upload.TruncatedAtLine is { } line)
        {
            return Invalid(
                [new DatasetError(line, "1", $"the file has more than {ApplicationCsv.DefaultMaxRows:N0} data rows; send at most {ApplicationCsv.DefaultMaxRows:N0} per file")], 0,
                "The file has too many rows.");
        }

        var serving = active.Current;
        var assigned = challengers.Current;
        var results = new CreditScoreResult[upload.Rows.Count];
        var routes = new ScoringRoute[upload.Rows.Count];
        Parallel.For(0, results.Length, i =>
        {
            var route = routes[i] = ChallengerRouting.For(upload.Rows[i].Application, serving, assigned);
            results[i] = WithArm(scorer.Score(upload.Rows[i].Application, route.Model, explain: false), route);
        });
        ledger.RecordAll(context.TraceIdentifier, DecisionChannels.ApiCsv, DecisionRecorder.CallerOf(context), [.. upload.Rows.Select(r => r.Application)], results, serving.Model, serving.Number,
            ApplicationCsvIndexes.Of(upload), routes, assigned.Shadow);
        var csv = new StringWriter(CultureInfo.InvariantCulture);
        ScoredCsv.Write(csv, upload, results);
        context.Response.Headers[RowsScoredHeader] = results.Length.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers[RowsRejectedHeader] = upload.Rejected.Count.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Content(csv.ToString(), "text/csv; charset=utf-8");
    }

    // While a split runs the answer says which arm gave it; without one the answer is left as it is (no copy).
    private static CreditScoreResult WithArm(CreditScoreResult result, ScoringRoute route) =>
        route.Arm is null ? result : result with { ExperimentArm = route.Arm };

    // The body as bytes, at most maxBytes of them: the readers decide what the bytes mean (and refuse what is not UTF-8).
    private static async Task<(ReadOnlyMemory<byte> Bytes, ProblemHttpResult? Problem)> ReadBodyAsync(HttpContext context, long maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            return (default, TooLarge(maxBytes));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return (default, TooLarge(maxBytes));
                }

                buffer.Write(chunk, 0, read);
            }

            return (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (default, TooLarge(maxBytes));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static ProblemHttpResult Invalid(IReadOnlyDictionary<string, string[]> errors, string title) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = title,
            Detail = string.Join("; ", errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}")),
        });

    // CSV problems are keyed by where they are: "line 1, column loan_amount".
    private static ProblemHttpResult Invalid(IReadOnlyList<DatasetError> errors, int unlisted, string title)
    {
        var byPlace = errors.GroupBy(e => e.Column is null ? $"line {e.Line}" : $"line {e.Line}, column {e.Column}", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);
        var more = unlisted > 0 ? $" (and {unlisted:N0} more)" : string.Empty;
        return TypedResults.Problem(new HttpValidationProblemDetails(byPlace)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = title,
            Detail = string.Join("; ", errors) + more,
        });
    }

    private static ProblemHttpResult TooLarge(long maxBytes) =>
        TypedResults.Problem($"The request body is larger than {maxBytes / 1024:N0} KiB; send fewer applications per call.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");

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
        string? LastError,
        int? ShadowVersion = null,
        SplitInfo? Split = null);

    /// <summary>The A/B split answering now: the challenger's version and its share of wallets (percent).</summary>
    public sealed record SplitInfo(int Version, double Percent);
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

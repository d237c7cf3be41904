using System.Globalization;
using System.Text;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Monitoring;
using LynqDashboard.Web.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LynqDashboard.Web.Endpoints;

/// <summary>
/// The ledger over HTTP: browsing and exporting decisions (Viewer), reporting outcomes with an API key (JSON) or as a
/// signed-in Trainer (CSV). What cannot be read is a 422 naming the parameter, the field or the line; never a 500.
/// </summary>
public static class DecisionEndpoints
{
    /// <summary>Largest outcomes body (JSON or CSV): 10,000 items take about 1 MB.</summary>
    public const long MaxOutcomeBodyBytes = 4 << 20;

    public static IEndpointRouteBuilder MapDecisions(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dashboard").RequireAuthorization(LynqRoles.Viewer).AddEndpointFilter<DashboardApiEndpoints.DashboardApiFilter>();
        api.MapGet("/decisions", async Task<Results<Ok<DecisionList>, ProblemHttpResult>> (HttpContext context, IDecisionStore store) =>
        {
            if (DecisionFilter.Read(context.Request.Query, out var query) is { } problem)
            {
                return problem;
            }

            var page = await store.QueryAsync(query, context.RequestAborted);
            return TypedResults.Ok(new DecisionList(page.Total, [.. page.Items.Select(DecisionItem.Of)]));
        }).WithSummary("Decisions of the ledger, newest first: take (1–1000, default 100), skip, version (a number or \"fallback\"), action, channel, from, to (ISO 8601).");
        api.MapGet("/decisions.csv", async Task<Results<EmptyHttpResult, ProblemHttpResult>> (HttpContext context, IDecisionStore store) =>
        {
            if (DecisionFilter.Read(context.Request.Query, out var query) is { } problem)
            {
                return problem;
            }

            context.Response.ContentType = "text/csv; charset=utf-8";
            context.Response.Headers.ContentDisposition = "attachment; filename=\"decisions.csv\"";

            // Row by row from the database to the response: an export of a million decisions never sits in memory.
            await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), 64 * 1024);
            await DecisionCsv.WriteHeaderAsync(writer);
            await foreach (var entry in store.StreamAsync(query, context.RequestAborted))
            {
                await DecisionCsv.WriteRowAsync(writer, entry);
            }

            await writer.FlushAsync(context.RequestAborted);
            return TypedResults.Empty;
        }).WithSummary("Every decision matching the same filters as CSV (take and skip ignored), streamed.");
        api.MapPost("/outcomes.csv", async Task<Results<Ok<OutcomeResponse>, ProblemHttpResult>> (HttpContext context, IDecisionStore store, UserAccess access) =>
        {
            var user = await access.RequireAsync(LynqRoles.Trainer, "upload outcomes");
            var text = await ReadTextAsync(context);
            if (text is null)
            {
                return TooLarge();
            }

            var upload = OutcomeCsv.Read(new StringReader(text));
            if (!upload.Usable)
            {
                return TypedResults.Problem(new HttpValidationProblemDetails(upload.HeaderErrors.ToDictionary(e => e.Place, e => new[] { e.Message }))
                {
                    Status = StatusCodes.Status422UnprocessableEntity, Title = "The file cannot be read.", Detail = string.Join("; ", upload.HeaderErrors),
                });
            }

            return TypedResults.Ok(await RecordCsvAsync(store, upload, user, context.RequestAborted));
        }).WithSummary("Reports outcomes from a CSV (Trainer): request_id,defaulted,observed_at; each line's verdict, invalid lines named.");
        return app;
    }

    public static IEndpointRouteBuilder MapOutcomes(this IEndpointRouteBuilder app)
    {
        app.MapGroup(string.Empty)
            .AllowAnonymous()
            .AddEndpointFilter<ApiKeyFilter>()
            .RequireRateLimiting(ScoringEndpoints.RateLimitPolicy)
            .MapPost("/api/ml/outcomes", async Task<Results<Ok<OutcomeResponse>, ProblemHttpResult>> (HttpContext context, IDecisionStore store) =>
            {
                var text = await ReadTextAsync(context);
                if (text is null)
                {
                    return TooLarge();
                }

                if (!OutcomeJson.TryParse(text, out var outcomes, out var errors))
                {
                    return TypedResults.Problem(new HttpValidationProblemDetails(errors)
                    {
                        Status = StatusCodes.Status422UnprocessableEntity, Title = "The outcomes are not in the expected shape.",
                        Detail = string.Join("; ", errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}")),
                    });
                }

                var results = await store.RecordOutcomesAsync(outcomes, DecisionRecorder.CallerOf(context), context.RequestAborted);
                return TypedResults.Ok(OutcomeResponse.Of(results));
            })
            .WithName("Outcomes")
            .WithSummary("Reports what became of decided loans: {\"outcomes\": [{\"request_id\", \"defaulted\", \"observed_at\"}]} (10,000 at most); idempotent per request id.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static async Task<OutcomeResponse> RecordCsvAsync(IDecisionStore store, OutcomeCsvUpload upload, string user, CancellationToken cancellationToken)
    {
        var readable = upload.Rows.Where(r => r.Outcome is not null).ToList();
        var stored = await store.RecordOutcomesAsync([.. readable.Select(r => r.Outcome!)], user, cancellationToken);

        // The store numbers what it was given; a person reads line numbers.
        var byLine = readable.Select((row, i) => stored[i] with { Index = (int)row.Line })
            .Concat(upload.Rows.Where(r => r.Outcome is null).Select(r => new OutcomeResult((int)r.Line, r.RequestId, OutcomeVerdict.Invalid, r.Problem!)))
            .OrderBy(r => r.Index);
        return OutcomeResponse.Of([.. byLine]);
    }

    // The body as text, or null when it is larger than MaxOutcomeBodyBytes.
    private static async Task<string?> ReadTextAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxOutcomeBodyBytes)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxOutcomeBodyBytes;
        }

        try
        {
            using var reader = new StreamReader(context.Request.Body, new UTF8Encoding(false, throwOnInvalidBytes: false));
            return await reader.ReadToEndAsync(context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    private static ProblemHttpResult TooLarge() =>
        TypedResults.Problem($"The body is larger than {MaxOutcomeBodyBytes / 1024:N0} KiB; send at most {OutcomeJson.MaxItems:N0} outcomes per call.",
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");

    public sealed record DecisionList(long Total, IReadOnlyList<DecisionItem> Items);

    public sealed record OutcomeItem(bool Defaulted, DateTimeOffset ObservedAt, DateTimeOffset RecordedAt, string RecordedBy);

    public sealed record DecisionItem(
        long Id, DateTimeOffset At, string RequestId, string Channel, string Caller, string ModelVersion, int? ModelNumber, string ModelSha256, int PolicyVersion,
        IReadOnlyDictionary<string, double> Features, double DefaultProbability, int CreditScore, string RiskLevel, string Action, string DecisionReason,
        IReadOnlyList<string> ReasonCodes, string ReasonCatalogueVersion, bool IsFallback, string? ShadowVersion, double? ShadowProbability, string? ShadowAction,
        OutcomeItem? Outcome)
    {
        public static DecisionItem Of(LedgerEntry entry)
        {
            ArgumentNullException.ThrowIfNull(entry);
            var d = entry.Decision;
            var values = d.FeatureValues();
            return new DecisionItem(d.Id, d.At, d.RequestId, d.Channel, d.Caller, d.ModelVersion, d.ModelNumber, d.ModelSha256, d.PolicyVersion,
                LoanFeatures.All.ToDictionary(f => f.Name, f => values[f.Index]), d.DefaultProbability, d.CreditScore, d.RiskLevel, d.Action, d.DecisionReason,
                d.ReasonCodes.Split(',', StringSplitOptions.RemoveEmptyEntries), d.ReasonCatalogueVersion, d.IsFallback, d.ShadowVersion, d.ShadowProbability, d.ShadowAction,
                entry.Outcome is { } o ? new OutcomeItem(o.Defaulted, o.ObservedAt, o.RecordedAt, o.RecordedBy) : null);
        }
    }

    public sealed record OutcomeItemResult(int Index, string RequestId, string Status, string Message);

    public sealed record OutcomeResponse(int Recorded, int AlreadyRecorded, int Unknown, int Conflicts, int Invalid, IReadOnlyList<OutcomeItemResult> Results)
    {
        public static OutcomeResponse Of(IReadOnlyList<OutcomeResult> results)
        {
            ArgumentNullException.ThrowIfNull(results);
            int Count(OutcomeVerdict verdict) => results.Count(r => r.Verdict == verdict);
            return new OutcomeResponse(Count(OutcomeVerdict.Recorded), Count(OutcomeVerdict.AlreadyRecorded), Count(OutcomeVerdict.UnknownRequest), Count(OutcomeVerdict.Conflict),
                Count(OutcomeVerdict.Invalid), [.. results.Select(r => new OutcomeItemResult(r.Index, r.RequestId, OutcomeVerdictNames.Of(r.Verdict), r.Message))]);
        }
    }
}

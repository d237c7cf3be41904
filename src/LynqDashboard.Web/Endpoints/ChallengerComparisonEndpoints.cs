using System.Globalization;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Monitoring.Challengers;
using LynqDashboard.Core.Scoring;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LynqDashboard.Web.Endpoints;

/// <summary>
/// The champion–challenger comparison over HTTP (Viewer): every shadow against the champion on the same applications
/// and the A/B split's arms, over a window of the ledger (default the last <see cref="DefaultDays"/> days).
/// </summary>
public static class ChallengerComparisonEndpoints
{
    /// <summary>The window when the caller names none: the same 30 days monitoring snapshots look at by default.</summary>
    public const int DefaultDays = 30;

    /// <summary>Mapped into the monitoring group (its sign-in, role and anti-forgery checks).</summary>
    public static RouteGroupBuilder MapChallengerComparison(this RouteGroupBuilder api)
    {
        api.MapGet("/challengers", async Task<Results<Ok<ChallengerReport>, ProblemHttpResult>> (
            string? from, string? to, IDecisionStore store, ActivePolicy policy, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            if (ReadWindow(from, to, clock.GetUtcNow(), out var window) is { } problem)
            {
                return problem;
            }

            return TypedResults.Ok(await ChallengerReportBuilder.ReadAsync(store, policy.Current, window.From, window.To, cancellationToken));
        }).WithSummary("Champion against each shadow on the same applications (correlation, PSI, flips per cutoff, the action matrix, AUC and calibration with intervals of the difference) and the A/B arms (approval rate, bad rate among approved, expected loss): from, to (ISO 8601; default the last 30 days).");
        return api;
    }

    /// <summary>The window [from, to) the query names; a bad value is a 422 naming the parameter.</summary>
    /// <param name="from">A date (2026-12-01, midnight UTC) or a time with its offset; null: <see cref="DefaultDays"/> before <paramref name="to"/>.</param>
    /// <param name="to">The same; null: now.</param>
    /// <param name="now">The time now.</param>
    /// <param name="window">What was read.</param>
    public static ProblemHttpResult? ReadWindow(string? from, string? to, DateTimeOffset now, out (DateTimeOffset From, DateTimeOffset To) window)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var end = Time("to", to, errors) ?? now;
        var start = Time("from", from, errors) ?? end.AddDays(-DefaultDays);
        if (errors.Count == 0 && end <= start)
        {
            errors[to is null ? "from" : "to"] = [to is null ? "must be before now" : "must be after 'from'"];
        }

        window = (start, end);
        return errors.Count == 0 ? null : TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Invalid window",
            Detail = string.Join("; ", errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}")),
        });
    }

    private static DateTimeOffset? Time(string name, string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (OutcomeCsv.TryParseTime(text, out var at))
        {
            return at;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        errors[name] = [$"'{text}' is not a date (2026-12-01) or a time with its offset (2026-12-01T00:00:00Z)"];
        return null;
    }
}

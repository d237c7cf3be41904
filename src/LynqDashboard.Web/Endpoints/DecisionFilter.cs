using System.Globalization;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Scoring;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LynqDashboard.Web.Endpoints;

/// <summary>The decisions endpoints' query string as a <see cref="DecisionQuery"/>; a bad parameter is a 422 that names it.</summary>
public static class DecisionFilter
{
    /// <returns>Null when every parameter was read into <paramref name="query"/>; otherwise the 422.</returns>
    public static ProblemHttpResult? Read(IQueryCollection parameters, out DecisionQuery query)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        query = new DecisionQuery();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? Text(string name) => parameters[name].ToString() is { Length: > 0 } value ? value.Trim() : null;

        var take = Number("take", Text("take"), 1, DecisionQuery.MaxTake, 100, errors);
        var skip = Number("skip", Text("skip"), 0, int.MaxValue, 0, errors);
        if (!DecisionQuery.TryReadVersion(Text("version"), out var version, out var fallback, out var versionProblem))
        {
            errors["version"] = [versionProblem!];
        }

        var action = Text("action")?.ToUpperInvariant();
        if (action is not null && !Enum.TryParse<RecommendedAction>(action, out _) || (action is not null && int.TryParse(action, out _)))
        {
            errors["action"] = [$"'{Text("action")}' is not an action; use one of {string.Join(", ", Enum.GetNames<RecommendedAction>())}"];
        }

        var channel = Text("channel")?.ToLowerInvariant();
        if (channel is not null && !DecisionChannels.All.Contains(channel))
        {
            errors["channel"] = [$"'{Text("channel")}' is not a channel; use one of {string.Join(", ", DecisionChannels.All)}"];
        }

        var from = Time("from", Text("from"), errors);
        var to = Time("to", Text("to"), errors);
        if (from is not null && to is not null && to <= from)
        {
            errors["to"] = ["must be after 'from'"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(errors)
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "Invalid filter",
                Detail = string.Join("; ", errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}")),
            });
        }

        query = new DecisionQuery(take, skip, version, fallback, action, from, to, channel);
        return null;
    }

    private static int Number(string name, string? text, int min, int max, int fallback, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [$"'{text}' is not a whole number from {min} to {max:N0}"];
        return fallback;
    }

    private static DateTimeOffset? Time(string name, string? text, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (OutcomeCsv.TryParseTime(text, out var at) || (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            && (at = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)) != default))
        {
            return at;
        }

        errors[name] = [$"'{text}' is not a date (2026-12-01) or a time with its offset (2026-12-01T00:00:00Z)"];
        return null;
    }
}

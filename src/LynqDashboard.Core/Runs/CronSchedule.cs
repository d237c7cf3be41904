using Cronos;

namespace LynqDashboard.Core.Runs;

/// <summary>
/// A cron expression (five fields, or six with seconds) in a time zone, read by Cronos: the one place schedules are
/// parsed, so a bad expression is explained the same way on every page, endpoint and option.
/// </summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;

    private CronSchedule(string text, CronExpression expression, TimeZoneInfo zone)
    {
        Text = text;
        _expression = expression;
        Zone = zone;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>Reads an expression; false with a message for a person when it is not one.</summary>
    /// <param name="text">"0 * * * *" (minute hour day month weekday) or six fields starting with seconds.</param>
    /// <param name="zone">The zone its hours are in (default UTC).</param>
    /// <param name="schedule">The schedule, when it reads.</param>
    /// <param name="problem">Why it does not, when it does not.</param>
    public static bool TryParse(string? text, TimeZoneInfo? zone, out CronSchedule? schedule, out string? problem)
    {
        schedule = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "it is empty; write five fields, e.g. \"0 * * * *\" for every hour on the hour.";
            return false;
        }

        var trimmed = text.Trim();
        var fields = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6))
        {
            problem = $"it has {fields} field{(fields == 1 ? string.Empty : "s")}; write five (minute hour day-of-month month day-of-week), e.g. \"0 * * * *\", or six starting with seconds.";
            return false;
        }

        try
        {
            var expression = CronExpression.Parse(trimmed, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            schedule = new CronSchedule(trimmed, expression, zone ?? TimeZoneInfo.Utc);
            problem = null;
            return true;
        }
        catch (CronFormatException e)
        {
            problem = $"{e.Message.TrimEnd('.')}.";
            return false;
        }
    }

    /// <summary>Null when <paramref name="text"/> is a cron expression, otherwise why it is not.</summary>
    public static string? Explain(string? text) => TryParse(text, null, out _, out var problem) ? null : problem;

    /// <summary>Reads an expression that is known to be good (validated options); throws with the reason otherwise.</summary>
    public static CronSchedule Parse(string text, TimeZoneInfo? zone = null) =>
        TryParse(text, zone, out var schedule, out var problem) ? schedule! : throw new FormatException($"'{text}' is not a cron expression: {problem}");

    /// <summary>The first occurrence after <paramref name="after"/>; null when there is none (a 30 February).</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => _expression.GetNextOccurrence(after, Zone);
}

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
            // Cronos says only "invalid format": name the field and its range when a number is out of it.
            problem = OutOfRange(trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries)) ?? $"{e.Message.TrimEnd('.')}.";
            return false;
        }
    }

    private static readonly (string Name, int Min, int Max)[] StandardFields = [("minute", 0, 59), ("hour", 0, 23), ("day-of-month", 1, 31), ("month", 1, 12), ("day-of-week", 0, 7)];

    private static string? OutOfRange(string[] fields)
    {
        var names = fields.Length == 6 ? [("second", 0, 59), .. StandardFields] : StandardFields;
        for (var i = 0; i < fields.Length; i++)
        {
            var (name, min, max) = names[i];
            foreach (var part in fields[i].Split([',', '-', '/']))
            {
                // A step ("*/90") counts from 1; names (JAN, MON) and wildcards are Cronos' to judge.
                if (int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
                    && (value < min || value > max) && !(fields[i].Contains('/', StringComparison.Ordinal) && fields[i].EndsWith("/" + part, StringComparison.Ordinal) && value >= 1))
                {
                    return $"the {name} field is {value}, which is outside {min}–{max} (fields: {string.Join(' ', names.Select(n => n.Item1))}).";
                }
            }
        }

        return null;
    }

    /// <summary>Null when <paramref name="text"/> is a cron expression, otherwise why it is not.</summary>
    public static string? Explain(string? text) => TryParse(text, null, out _, out var problem) ? null : problem;

    /// <summary>Reads an expression that is known to be good (validated options); throws with the reason otherwise.</summary>
    public static CronSchedule Parse(string text, TimeZoneInfo? zone = null) =>
        TryParse(text, zone, out var schedule, out var problem) ? schedule! : throw new FormatException($"'{text}' is not a cron expression: {problem}");

    /// <summary>The first occurrence after <paramref name="after"/>; null when there is none (a 30 February).</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => _expression.GetNextOccurrence(after, Zone);
}

using System.Globalization;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Training;

namespace LynqDashboard.Core.Retraining;

/// <summary>
/// Turns a <see cref="ScheduleDraft"/> into a schedule, naming every field that is wrong at once. The cron goes through
/// <see cref="CronSchedule"/>, the generation and training fields through <see cref="DatasetParameters.Validate"/> and
/// <see cref="TrainingParameters.Validate"/>: one set of rules wherever those values are typed.
/// </summary>
public static class ScheduleDrafts
{
    public const int MaxNameLength = 80;
    public const int MinLedgerWindowDays = 1;
    public const int MaxLedgerWindowDays = 730;
    public const int DefaultLedgerWindowDays = 90;
    public const int DefaultRows = 100_000;
    public const long DefaultSeed = 1;

    /// <summary>The names a draft's source is written with.</summary>
    public static IReadOnlyDictionary<string, ScheduleSource> SourceNames { get; } = new Dictionary<string, ScheduleSource>(StringComparer.OrdinalIgnoreCase)
    {
        ["generate"] = ScheduleSource.Generate,
        ["newest_dataset"] = ScheduleSource.NewestDataset,
        ["ledger"] = ScheduleSource.Ledger,
    };

    /// <summary>The draft as a schedule made by <paramref name="actor"/> at <paramref name="now"/>; throws <see cref="LynqException"/> Invalid naming each bad field.</summary>
    public static RetrainingSchedule ToSchedule(ScheduleDraft draft, string actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var problems = new List<FieldProblem>();
        var name = draft.Name?.Trim() ?? string.Empty;
        if (name.Length == 0)
        {
            problems.Add(new("name", "is required: a name people recognise the schedule by, e.g. \"nightly retrain\"."));
        }
        else if (name.Length > MaxNameLength)
        {
            problems.Add(new("name", $"is {name.Length} characters; at most {MaxNameLength} are allowed."));
        }

        var zoneId = string.IsNullOrWhiteSpace(draft.TimeZone) ? "UTC" : draft.TimeZone.Trim();
        if (!TryFindZone(zoneId, out var zone))
        {
            problems.Add(new("time_zone", $"'{zoneId}' is not a time zone this server knows; write an IANA id such as \"Europe/Berlin\" or \"UTC\"."));
        }

        if (!CronSchedule.TryParse(draft.Cron, zone, out _, out var cronProblem))
        {
            problems.Add(new("cron", $"'{draft.Cron}' is not a cron expression: {cronProblem}"));
        }

        var source = ScheduleSource.Generate;
        if (!string.IsNullOrWhiteSpace(draft.Source) && !SourceNames.TryGetValue(draft.Source.Trim(), out source))
        {
            problems.Add(new("source", $"'{draft.Source}' is not a source; write one of {string.Join(", ", SourceNames.Keys.Select(k => $"\"{k}\""))}."));
        }

        var generate = new DatasetParameters(draft.Rows ?? DefaultRows, draft.Seed ?? DefaultSeed, draft.DefaultRate ?? DatasetParameters.DefaultDefaultRate);
        problems.AddRange(generate.Validate().Select(e => new FieldProblem(e.Parameter, e.Message)));
        var window = draft.LedgerWindowDays ?? DefaultLedgerWindowDays;
        if (WindowProblem(window) is { } windowProblem)
        {
            problems.Add(windowProblem);
        }

        var training = draft.Training ?? new TrainingParameters();
        problems.AddRange(TrainingProblems(training));
        if (problems.Count > 0)
        {
            throw LynqException.Invalid(problems);
        }

        return new RetrainingSchedule
        {
            Name = name,
            Cron = draft.Cron!.Trim(),
            TimeZone = zoneId,
            Source = source,
            Generate = source == ScheduleSource.Generate ? generate : null,
            LedgerWindowDays = window,
            Training = training,
            OnCron = draft.OnCron,
            OnAlert = draft.OnAlert,
            CreatedBy = actor,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Checks a "run now"'s overrides with the same rules as the draft; null is valid.</summary>
    public static void EnsureValid(RunOverrides? overrides)
    {
        if (overrides is null)
        {
            return;
        }

        var problems = new List<FieldProblem>();
        if (overrides.Rows is { } rows)
        {
            problems.AddRange(new DatasetParameters(rows, 0).Validate().Where(e => e.Parameter == "rows").Select(e => new FieldProblem(e.Parameter, e.Message)));
        }

        if (overrides.Trees is { } trees)
        {
            problems.AddRange(new TrainingParameters(Trees: trees).Validate().Select(e => new FieldProblem(e.Parameter, e.Message)));
        }

        if (overrides.LedgerWindowDays is { } window && WindowProblem(window) is { } windowProblem)
        {
            problems.Add(windowProblem);
        }

        if (problems.Count > 0)
        {
            throw LynqException.Invalid(problems);
        }
    }

    /// <summary>An IANA (or Windows) zone id as a zone; false when this system does not know it.</summary>
    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    /// <summary>The source as a draft writes it.</summary>
    public static string NameOf(ScheduleSource source) => SourceNames.First(s => s.Value == source).Key;

    /// <summary>A schedule in one line for the audit log.</summary>
    public static string Describe(RetrainingSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var source = schedule.Source switch
        {
            ScheduleSource.Generate when schedule.Generate is { } g => string.Create(CultureInfo.InvariantCulture, $"generate {g.Rows:N0} rows from seed {g.Seed} at {g.DefaultRate:P1}"),
            ScheduleSource.Ledger => $"ledger, last {schedule.LedgerWindowDays} days",
            _ => NameOf(schedule.Source),
        };
        var triggers = string.Join(" and ", new[] { schedule.OnCron ? $"cron \"{schedule.Cron}\" ({schedule.TimeZone})" : null, schedule.OnAlert ? "monitoring alerts" : null }.OfType<string>());
        return $"{source}; {schedule.Training.Trees} trees; runs on {(triggers.Length == 0 ? "request only" : triggers)}";
    }

    public static string Describe(RunOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var parts = new[]
        {
            overrides.Rows is { } rows ? string.Create(CultureInfo.InvariantCulture, $"rows {rows:N0}") : null,
            overrides.Seed is { } seed ? string.Create(CultureInfo.InvariantCulture, $"seed {seed}") : null,
            overrides.Trees is { } trees ? string.Create(CultureInfo.InvariantCulture, $"trees {trees}") : null,
            overrides.LedgerWindowDays is { } days ? string.Create(CultureInfo.InvariantCulture, $"ledger window {days} days") : null,
        }.OfType<string>().ToList();
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    // Training fields are nested in the body ("training": {"trees": …}), so their problems name the path.
    private static IEnumerable<FieldProblem> TrainingProblems(TrainingParameters training) =>
        training.Validate().Select(e => new FieldProblem($"training.{e.Parameter}", e.Message));

    private static FieldProblem? WindowProblem(int days) => days is < MinLedgerWindowDays or > MaxLedgerWindowDays
        ? new FieldProblem("ledger_window_days", $"must be between {MinLedgerWindowDays} and {MaxLedgerWindowDays} days (got {days})")
        : null;
}

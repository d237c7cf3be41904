using LynqDashboard.Core.Retraining;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Training;

namespace LynqDashboard.Web.Model;

/// <summary>
/// The new-schedule form: what a person typed, the cron read back as the next times it fires (so a mistake shows
/// before saving), and the draft the service validates again on the server.
/// </summary>
public sealed class ScheduleForm
{
    public string Name { get; set; } = "Nightly retraining";

    public string Cron { get; set; } = "0 2 * * *";

    /// <summary>IANA zone; the page starts it at the viewer's own.</summary>
    public string TimeZone { get; set; } = "UTC";

    public ScheduleSource Source { get; set; } = ScheduleSource.Generate;

    public int Rows { get; set; } = 100_000;

    public long Seed { get; set; } = 1;

    public int LedgerWindowDays { get; set; } = 90;

    public int Trees { get; set; } = new TrainingParameters().Trees;

    public bool OnCron { get; set; } = true;

    public bool OnAlert { get; set; }

    /// <summary>The zones offered first: the viewer's, UTC and the lender's usual ones; any IANA id may be typed.</summary>
    public static IReadOnlyList<string> CommonZones { get; } =
        ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Chicago", "America/Los_Angeles", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney"];

    public ScheduleDraft ToDraft() => new(
        Name, Cron, TimeZone, SourceName(Source),
        Source == ScheduleSource.Generate ? Rows : null,
        Source == ScheduleSource.Generate ? Seed : null,
        LedgerWindowDays: Source == ScheduleSource.Ledger ? LedgerWindowDays : null,
        Training: new TrainingParameters() with { Trees = Trees },
        OnCron: OnCron,
        OnAlert: OnAlert);

    /// <summary>The next <paramref name="count"/> times the cron fires after <paramref name="now"/>, or why it cannot be read.</summary>
    public (IReadOnlyList<DateTimeOffset> Times, string? Problem) Preview(DateTimeOffset now, int count = 3)
    {
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(TimeZone) ? "UTC" : TimeZone.Trim());
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return ([], $"Time zone: \"{TimeZone}\" is not a time zone this server knows; write an IANA name such as Europe/Berlin.");
        }

        if (!CronSchedule.TryParse(Cron, zone, out var schedule, out var problem))
        {
            return ([], $"Cron: {problem}");
        }

        var times = new List<DateTimeOffset>();
        var at = now;
        while (times.Count < count && schedule!.Next(at) is { } next)
        {
            times.Add(next);
            at = next;
        }

        return (times, null);
    }

    /// <summary>The source as the API names it.</summary>
    public static string SourceName(ScheduleSource source) => source switch
    {
        ScheduleSource.NewestDataset => "newest_dataset",
        ScheduleSource.Ledger => "ledger",
        _ => "generate",
    };

    /// <summary>The source in words for the table.</summary>
    public static string Describe(RetrainingSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule.Source switch
        {
            ScheduleSource.NewestDataset => "newest dataset",
            ScheduleSource.Ledger => $"ledger + outcomes, last {schedule.LedgerWindowDays} days",
            _ => schedule.Generate is { } g ? $"fresh {g.Rows:N0} rows from seed {g.Seed}" : "fresh dataset",
        };
    }
}

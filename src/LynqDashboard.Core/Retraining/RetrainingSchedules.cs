using System.Globalization;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Training;

namespace LynqDashboard.Core.Retraining;

/// <summary>A schedule as a person writes it (the page's form, the POST body); every field is checked and named when wrong.</summary>
/// <param name="Name">Unique, 1–80 characters.</param>
/// <param name="Cron">Five fields (or six with seconds).</param>
/// <param name="TimeZone">IANA id; null or empty: UTC.</param>
/// <param name="Source">"generate" (default), "newest_dataset" or "ledger".</param>
/// <param name="Rows">Rows to generate (generate; default 100,000).</param>
/// <param name="Seed">First generation seed (generate; default 1; run n uses seed + n - 1).</param>
/// <param name="DefaultRate">Target default rate (generate; default 0.08).</param>
/// <param name="LedgerWindowDays">Days of the ledger to train on (ledger; default 90).</param>
/// <param name="Training">Training parameters (default: the defaults).</param>
/// <param name="OnCron">Runs at the cron's times (default true).</param>
/// <param name="OnAlert">Also runs on a PSI-red or back-test alert (default false).</param>
public sealed record ScheduleDraft(
    string? Name, string? Cron, string? TimeZone = null, string? Source = null, int? Rows = null, long? Seed = null, double? DefaultRate = null,
    int? LedgerWindowDays = null, TrainingParameters? Training = null, bool OnCron = true, bool OnAlert = false);

/// <summary>
/// What people do to schedules: create, pause, resume, run now. Validates (a bad cron or zone is a message naming the
/// field), stores, keeps the recurring job in step with the record, and audits each step.
/// </summary>
public sealed class RetrainingSchedules(IRetrainingStore store, IRetrainingScheduler scheduler, IAuditLog audit, TimeProvider clock)
{
    public const string Created = "schedule.created";
    public const string PausedAction = "schedule.paused";
    public const string Resumed = "schedule.resumed";
    public const string RunRequested = "schedule.run_requested";

    public Task<IReadOnlyList<RetrainingSchedule>> ListAsync(CancellationToken cancellationToken = default) => store.ListSchedulesAsync(cancellationToken);

    public Task<IReadOnlyList<ScheduleRun>> HistoryAsync(Guid? scheduleId = null, int take = 100, CancellationToken cancellationToken = default) =>
        store.ListRunsAsync(scheduleId, take, cancellationToken);

    /// <summary>Validates and stores a schedule, then registers its recurring job.</summary>
    public async Task<RetrainingSchedule> CreateAsync(ScheduleDraft draft, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var by = Actor(actor);
        var now = clock.GetUtcNow();
        var schedule = ScheduleDrafts.ToSchedule(draft, by, now);
        var added = await store.AddScheduleAsync(schedule, cancellationToken).ConfigureAwait(false);
        scheduler.Sync(added);
        await AppendAsync(by, Created, added, ScheduleDrafts.Describe(added), cancellationToken).ConfigureAwait(false);
        return added;
    }

    /// <summary>Stops its cron (the record says paused, the recurring job goes); alert triggers stop too. Idempotent.</summary>
    public Task<RetrainingSchedule> PauseAsync(Guid id, string actor, CancellationToken cancellationToken = default) =>
        SetPausedAsync(id, Actor(actor), paused: true, cancellationToken);

    public Task<RetrainingSchedule> ResumeAsync(Guid id, string actor, CancellationToken cancellationToken = default) =>
        SetPausedAsync(id, Actor(actor), paused: false, cancellationToken);

    /// <summary>Queues one run now with <paramref name="overrides"/> (checked like the draft's fields); returns the job id. Works while paused.</summary>
    public async Task<string> RunNowAsync(Guid id, string actor, RunOverrides? overrides = null, CancellationToken cancellationToken = default)
    {
        var by = Actor(actor);
        ScheduleDrafts.EnsureValid(overrides);
        var schedule = await store.GetScheduleAsync(id, cancellationToken).ConfigureAwait(false) ?? throw Unknown();
        var jobId = scheduler.EnqueueRun(schedule.Id, $"manual by {by}", overrides);
        await AppendAsync(by, RunRequested, schedule, overrides is null ? $"job {jobId}" : $"job {jobId}; overrides: {ScheduleDrafts.Describe(overrides)}", cancellationToken).ConfigureAwait(false);
        return jobId;
    }

    /// <summary>At start-up: every schedule's recurring job matches its record (a pause made before a restart stays a pause).</summary>
    public async Task SyncAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (var schedule in await store.ListSchedulesAsync(cancellationToken).ConfigureAwait(false))
        {
            scheduler.Sync(schedule);
        }
    }

    /// <summary>The next cron time after <paramref name="now"/> (UTC); null when paused, cron off, or the cron never fires again.</summary>
    public static DateTimeOffset? NextRun(RetrainingSchedule schedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.Paused || !schedule.OnCron || !ScheduleDrafts.TryFindZone(schedule.TimeZone, out var zone))
        {
            return null;
        }

        return CronSchedule.TryParse(schedule.Cron, zone, out var cron, out _) ? cron!.Next(now)?.ToUniversalTime() : null;
    }

    private async Task<RetrainingSchedule> SetPausedAsync(Guid id, string by, bool paused, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var wasPaused = (await store.GetScheduleAsync(id, cancellationToken).ConfigureAwait(false) ?? throw Unknown()).Paused;
        var schedule = await store.UpdateScheduleAsync(id, s => (s.Paused, s.UpdatedAt) = (paused, now), cancellationToken).ConfigureAwait(false) ?? throw Unknown();
        scheduler.Sync(schedule);
        if (wasPaused != paused)
        {
            await AppendAsync(by, paused ? PausedAction : Resumed, schedule, paused ? "its cron and alert triggers are off until resumed" : NextRunText(schedule, now), cancellationToken).ConfigureAwait(false);
        }

        return schedule;
    }

    private static string NextRunText(RetrainingSchedule schedule, DateTimeOffset now) => NextRun(schedule, now) is { } next
        ? string.Create(CultureInfo.InvariantCulture, $"next cron run {next:yyyy-MM-dd HH:mm} UTC")
        : "no cron run planned";

    private Task AppendAsync(string actor, string action, RetrainingSchedule schedule, string detail, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEvent { At = clock.GetUtcNow(), Actor = actor, Action = action, Subject = $"schedule '{schedule.Name}'", Detail = detail }, cancellationToken);

    private static LynqException Unknown() => LynqException.NotFound("That retraining schedule is not on record.", "schedule");

    private static string Actor(string actor) => string.IsNullOrWhiteSpace(actor) ? "unknown" : actor.Trim();
}

/// <summary>
/// One run of a schedule, as the retraining job calls it: takes the overlap lock (or records a skip saying which run
/// still goes), builds the dataset from the schedule's source, trains a challenger, waits for it, and when its gates
/// pass opens a promotion request with the champion–challenger comparison. Never approves, never promotes.
/// </summary>
public interface IRetrainingRunner
{
    /// <param name="scheduleId">The schedule.</param>
    /// <param name="trigger">"cron", "alert: …" or "manual by …" (a cron trigger on a paused schedule is recorded as skipped).</param>
    /// <param name="overrides">A "run now"'s changes, or null.</param>
    /// <param name="cancellationToken">Stops waiting (the run is recorded Failed "interrupted").</param>
    Task<ScheduleRun> RunAsync(Guid scheduleId, string trigger, RunOverrides? overrides, CancellationToken cancellationToken);
}

using LynqDashboard.Core.Data;
using LynqDashboard.Core.Training;

namespace LynqDashboard.Core.Retraining;

/// <summary>
/// A retraining schedule, kept in the registry: when it runs (a cron in a time zone, a monitoring alert, or a person's
/// "run now"), what it trains on, and how. A run trains a challenger and, when its gates pass, opens a promotion request;
/// it never promotes. Paused is stored, so a pause survives a restart.
/// </summary>
public sealed class RetrainingSchedule
{
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <summary>Unique, 1–80 characters.</summary>
    public required string Name { get; set; }

    /// <summary>Five fields (or six with seconds), read by <see cref="Runs.CronSchedule"/>.</summary>
    public required string Cron { get; set; }

    /// <summary>The zone the cron's hours are in: an IANA id ("Europe/Berlin"), default "UTC".</summary>
    public string TimeZone { get; set; } = "UTC";

    public ScheduleSource Source { get; set; } = ScheduleSource.Generate;

    /// <summary>What a <see cref="ScheduleSource.Generate"/> run generates; null for the other sources.</summary>
    public DatasetParameters? Generate { get; set; }

    /// <summary>How many days of decided-and-observed loans a <see cref="ScheduleSource.Ledger"/> run reads (1–730, default 90).</summary>
    public int LedgerWindowDays { get; set; } = 90;

    public TrainingParameters Training { get; set; } = new();

    /// <summary>Runs at the cron's times (false: only on an alert or "run now").</summary>
    public bool OnCron { get; set; } = true;

    /// <summary>Also runs when monitoring raises a PSI-red or back-test alert on the serving version (at most once a day).</summary>
    public bool OnAlert { get; set; }

    public bool Paused { get; set; }

    /// <summary>Who made it: the requester of the promotion requests its runs open, so a second person must approve them.</summary>
    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The overlap lock: the run in progress, taken and released atomically; null when none runs.</summary>
    public Guid? RunningRunId { get; set; }

    /// <summary>When an alert last started a run (the once-a-day limit).</summary>
    public DateTimeOffset? LastAlertRunAt { get; set; }

    /// <summary>The Hangfire recurring job that fires its cron.</summary>
    public string RecurringJobId => $"retraining-{Id:N}";
}

/// <summary>What a run trains on.</summary>
public enum ScheduleSource
{
    /// <summary>A fresh dataset generated with <see cref="RetrainingSchedule.Generate"/> (the seed advances by the run number).</summary>
    Generate,

    /// <summary>The newest ready dataset in the registry.</summary>
    NewestDataset,

    /// <summary>The decision ledger joined with reported outcomes over the last <see cref="RetrainingSchedule.LedgerWindowDays"/>, with lineage.</summary>
    Ledger,
}

/// <summary>One run of a schedule, kept for good (the history Hangfire's own expires after a day).</summary>
public sealed class ScheduleRun
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid ScheduleId { get; set; }

    /// <summary>1, 2, … per schedule.</summary>
    public int Number { get; set; }

    /// <summary>Why it ran: "cron", "alert: psi_red on v3", "manual by ana@lynq.example".</summary>
    public required string Trigger { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public ScheduleRunOutcome Outcome { get; set; } = ScheduleRunOutcome.Running;

    /// <summary>In words: why it was skipped or failed, which gates failed, or what the request compares.</summary>
    public string? Detail { get; set; }

    public Guid? DatasetId { get; set; }

    /// <summary>The challenger it trained.</summary>
    public int? VersionNumber { get; set; }

    /// <summary>The promotion request it opened (never approved by the run itself).</summary>
    public Guid? PromotionRequestId { get; set; }

    /// <summary>For a ledger run: which decisions and outcomes it trained on.</summary>
    public LedgerLineage? Lineage { get; set; }
}

public enum ScheduleRunOutcome
{
    Running,

    /// <summary>Trained, gates passed, a promotion request waits for an Approver.</summary>
    RequestOpened,

    /// <summary>Trained, but a gate failed (or needs a written reason): no request.</summary>
    GatesFailed,

    /// <summary>Not run: paused, or the previous run was still going.</summary>
    Skipped,

    Failed,
}

/// <summary>Which decisions and outcomes a ledger run trained on (the full list is the dataset's lineage file).</summary>
/// <param name="From">Start of the decision window.</param>
/// <param name="To">End of the window (exclusive).</param>
/// <param name="Decisions">Decisions with an outcome, i.e. rows of the dataset.</param>
/// <param name="Defaults">How many of them defaulted.</param>
/// <param name="FirstDecisionId">Smallest ledger row id used.</param>
/// <param name="LastDecisionId">Largest ledger row id used.</param>
/// <param name="LineageFile">The dataset-relative file listing each row's decision id, request id and outcome time.</param>
public sealed record LedgerLineage(DateTimeOffset From, DateTimeOffset To, int Decisions, int Defaults, long FirstDecisionId, long LastDecisionId, string LineageFile);

/// <summary>What "run now" may change for one run (null: the schedule's own).</summary>
/// <param name="Rows">Rows to generate (Generate source).</param>
/// <param name="Seed">Generation seed (Generate source).</param>
/// <param name="Trees">Trees to train.</param>
/// <param name="LedgerWindowDays">Days of ledger to read (Ledger source).</param>
public sealed record RunOverrides(int? Rows = null, long? Seed = null, int? Trees = null, int? LedgerWindowDays = null);

/// <summary>Schedules and their runs in the registry (SQLite embedded, PostgreSQL scale-out).</summary>
public interface IRetrainingStore
{
    /// <summary>Stores a new schedule; a name already used is refused with <see cref="LynqException"/> Conflict naming "name".</summary>
    Task<RetrainingSchedule> AddScheduleAsync(RetrainingSchedule schedule, CancellationToken cancellationToken = default);

    Task<RetrainingSchedule?> GetScheduleAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>By name.</summary>
    Task<IReadOnlyList<RetrainingSchedule>> ListSchedulesAsync(CancellationToken cancellationToken = default);

    /// <summary>Applies <paramref name="change"/> and saves; null when it does not exist.</summary>
    Task<RetrainingSchedule?> UpdateScheduleAsync(Guid id, Action<RetrainingSchedule> change, CancellationToken cancellationToken = default);

    /// <summary>Takes the overlap lock for <paramref name="runId"/> in one conditional update; false when another run holds it.</summary>
    Task<bool> TryLockAsync(Guid scheduleId, Guid runId, CancellationToken cancellationToken = default);

    /// <summary>Releases the lock if <paramref name="runId"/> holds it.</summary>
    Task ReleaseAsync(Guid scheduleId, Guid runId, CancellationToken cancellationToken = default);

    /// <summary>Stores a run, numbering it after the schedule's last.</summary>
    Task<ScheduleRun> AddRunAsync(ScheduleRun run, CancellationToken cancellationToken = default);

    Task<ScheduleRun?> GetRunAsync(Guid id, CancellationToken cancellationToken = default);

    Task<ScheduleRun?> UpdateRunAsync(Guid id, Action<ScheduleRun> change, CancellationToken cancellationToken = default);

    /// <summary>Newest first; one schedule's when given.</summary>
    Task<IReadOnlyList<ScheduleRun>> ListRunsAsync(Guid? scheduleId = null, int take = 100, CancellationToken cancellationToken = default);
}

/// <summary>Fires schedules (Hangfire recurring jobs in the web app; Core does not know Hangfire).</summary>
public interface IRetrainingScheduler
{
    /// <summary>Makes the recurring job match the schedule: added or updated when it runs on its cron and is not paused, removed otherwise.</summary>
    void Sync(RetrainingSchedule schedule);

    /// <summary>Queues one run now (the retraining queue has a worker of its own); returns the job id.</summary>
    string EnqueueRun(Guid scheduleId, string trigger, RunOverrides? overrides = null);
}

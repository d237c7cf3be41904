using Hangfire;
using LynqDashboard.Core;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Monitoring;

/// <summary>The snapshot schedule as shown: its cron (UTC), the next run, and who set it when (null: configuration's).</summary>
public sealed record MonitoringScheduleView(string Cron, DateTimeOffset? NextRun, string Source, string? ChangedBy, DateTimeOffset? ChangedAt);

/// <summary>
/// When snapshots run: the cron an Admin set (the stored setting "monitoring.cron", shared by every process and kept over
/// restarts), else Lynq:Monitoring:SnapshotCron. Setting it saves, audits and re-registers the recurring job.
/// </summary>
public sealed class MonitoringSchedule(IMonitoringStore store, IAuditLog audit, IOptions<MonitoringOptions> options, TimeProvider clock, IRecurringJobManager? jobs = null)
{
    public const string SettingKey = "monitoring.cron";

    public async Task<MonitoringScheduleView> GetAsync(CancellationToken cancellationToken = default)
    {
        var stored = await store.GetSettingAsync(SettingKey, cancellationToken).ConfigureAwait(false);
        return View(stored);
    }

    /// <summary>Validates, stores and applies a new schedule.</summary>
    /// <param name="cron">Five fields (or six with seconds), UTC.</param>
    /// <param name="actor">Who changes it (already checked to be an Admin).</param>
    /// <param name="cancellationToken">Stops before saving.</param>
    public async Task<MonitoringScheduleView> SetAsync(string? cron, string actor, CancellationToken cancellationToken = default)
    {
        if (!CronSchedule.TryParse(cron, TimeZoneInfo.Utc, out var schedule, out var problem))
        {
            throw LynqException.Invalid("cron", $"'{cron}' is not a cron expression: {problem}");
        }

        var before = await GetAsync(cancellationToken).ConfigureAwait(false);
        var setting = new StoredSetting { Key = SettingKey, Value = schedule!.Text, UpdatedBy = actor, UpdatedAt = clock.GetUtcNow() };
        await store.SaveSettingAsync(setting, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(new AuditEvent
        {
            At = setting.UpdatedAt,
            Actor = actor,
            Action = "monitoring.schedule_changed",
            Subject = SettingKey,
            Detail = $"Monitoring snapshots now run at '{schedule.Text}' (UTC); it was '{before.Cron}'.",
        }, CancellationToken.None).ConfigureAwait(false);
        Register(schedule.Text);
        return View(setting);
    }

    /// <summary>Registers (or updates) the recurring job with the current schedule; the job roles call it at start.</summary>
    public async Task RegisterAsync(CancellationToken cancellationToken = default) => Register((await GetAsync(cancellationToken).ConfigureAwait(false)).Cron);

    private void Register(string cron) =>
        jobs?.AddOrUpdate<MonitoringSnapshotJob>(MonitoringSnapshotJob.RecurringId, job => job.RunAsync(CancellationToken.None), cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });

    private MonitoringScheduleView View(StoredSetting? stored)
    {
        // A stored value was validated when set; one edited by hand in the database that no longer reads falls back.
        var useStored = stored is not null && CronSchedule.Explain(stored.Value) is null;
        var cron = useStored ? stored!.Value : options.Value.SnapshotCron;
        var next = CronSchedule.Parse(cron, TimeZoneInfo.Utc).Next(clock.GetUtcNow());
        return useStored
            ? new MonitoringScheduleView(cron, next, "set on the Monitoring page", stored!.UpdatedBy, stored.UpdatedAt)
            : new MonitoringScheduleView(cron, next, $"{MonitoringOptions.Section}:SnapshotCron", null, null);
    }
}

/// <summary>At start, where jobs run: registers the recurring snapshot job with the current schedule (after RegistryStartup's migrations).</summary>
public sealed class MonitoringScheduleStartup(MonitoringSchedule schedule) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => schedule.RegisterAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

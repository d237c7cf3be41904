using Hangfire;
using Hangfire.Server;
using LynqDashboard.Core.Retraining;
using LynqDashboard.Web.Jobs;

namespace LynqDashboard.Web.Retraining;

/// <summary>
/// Schedules as Hangfire recurring jobs: one per schedule that runs on its cron and is not paused (the schedule's cron
/// in its own zone), none otherwise, so a pause removes the job and a resume or a start-up sync puts it back. Runs go
/// to the retraining queue, whose single worker never blocks generation, training or promotions.
/// </summary>
public sealed class HangfireRetrainingScheduler(IRecurringJobManager recurring, IBackgroundJobClient client) : IRetrainingScheduler
{
    public void Sync(RetrainingSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (!schedule.OnCron || schedule.Paused || !ScheduleDrafts.TryFindZone(schedule.TimeZone, out var zone))
        {
            recurring.RemoveIfExists(schedule.RecurringJobId);
            return;
        }

        var id = schedule.Id;
        recurring.AddOrUpdate<RetrainingJob>(schedule.RecurringJobId, JobQueues.Retraining,
            job => job.RunAsync(id, RetrainingRunner.CronTrigger, null, null, CancellationToken.None),
            schedule.Cron, new RecurringJobOptions { TimeZone = zone });
    }

    public string EnqueueRun(Guid scheduleId, string trigger, RunOverrides? overrides = null) =>
        client.Enqueue<RetrainingJob>(JobQueues.Retraining, job => job.RunAsync(scheduleId, trigger, overrides, null, CancellationToken.None));
}

/// <summary>One run of a schedule. Thin: the work, the overlap lock and the history are in Core's <see cref="IRetrainingRunner"/>.</summary>
public sealed class RetrainingJob(IRetrainingRunner runner, ILogger<RetrainingJob> logger)
{
    // A failed run is recorded in the schedule's history; retrying would train again on the same trigger. Hangfire's
    // [DisableConcurrentExecution] would not hold across processes and restarts: the store's lock is the guard.
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Retraining schedule {0} ({1})")]
    public async Task RunAsync(Guid scheduleId, string trigger, RunOverrides? overrides, PerformContext? context, CancellationToken cancellationToken)
    {
        using var scope = HangfireJobScheduler.Scope(logger, context, scheduleId);
        var run = await runner.RunAsync(scheduleId, trigger, overrides, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Retraining schedule {ScheduleId} run #{Number} ({Trigger}) ended {Outcome}: {Detail}", scheduleId, run.Number, trigger, run.Outcome, run.Detail);
    }
}

/// <summary>At start-up, after the registry's migrations: every schedule's recurring job matches its record.</summary>
public sealed class RetrainingScheduleStartup(RetrainingSchedules schedules, ILogger<RetrainingScheduleStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await schedules.SyncAllAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Retraining schedules synchronised with their recurring jobs");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

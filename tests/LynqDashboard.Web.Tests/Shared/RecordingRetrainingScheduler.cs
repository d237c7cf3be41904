using System.Collections.Concurrent;
using LynqDashboard.Core.Retraining;

namespace LynqDashboard.Web.Tests.Shared;

/// <summary>Keeps what would have gone to Hangfire: the schedules synced and the runs queued (with their trigger).</summary>
public sealed class RecordingRetrainingScheduler : IRetrainingScheduler
{
    public ConcurrentQueue<RetrainingSchedule> Synced { get; } = new();

    public ConcurrentQueue<(Guid ScheduleId, string Trigger, RunOverrides? Overrides)> Queued { get; } = new();

    public void Sync(RetrainingSchedule schedule) => Synced.Enqueue(schedule);

    public string EnqueueRun(Guid scheduleId, string trigger, RunOverrides? overrides = null)
    {
        Queued.Enqueue((scheduleId, trigger, overrides));
        return $"job-{Queued.Count}";
    }
}

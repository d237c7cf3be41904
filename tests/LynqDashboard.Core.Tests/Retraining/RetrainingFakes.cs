using LynqDashboard.Core;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Retraining;

namespace LynqDashboard.Core.Tests.Retraining;

// In-memory stand-ins for the retraining store, the scheduler and the audit log (the EF store has its own tests).

internal sealed class MemoryRetrainingStore : IRetrainingStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, RetrainingSchedule> _schedules = [];
    private readonly Dictionary<Guid, ScheduleRun> _runs = [];

    public Task<RetrainingSchedule> AddScheduleAsync(RetrainingSchedule schedule, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_schedules.Values.Any(s => s.Name == schedule.Name))
            {
                throw new LynqException(ProblemKind.Conflict, "taken", "name");
            }

            _schedules[schedule.Id] = schedule;
            return Task.FromResult(schedule);
        }
    }

    public Task<RetrainingSchedule?> GetScheduleAsync(Guid id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_schedules.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<RetrainingSchedule>> ListSchedulesAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<RetrainingSchedule>>([.. _schedules.Values.OrderBy(s => s.Name)]);
        }
    }

    public Task<RetrainingSchedule?> UpdateScheduleAsync(Guid id, Action<RetrainingSchedule> change, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_schedules.GetValueOrDefault(id) is { } s)
            {
                change(s);
            }

            return Task.FromResult(_schedules.GetValueOrDefault(id));
        }
    }

    public Task<bool> TryLockAsync(Guid scheduleId, Guid runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var s = _schedules[scheduleId];
            if (s.RunningRunId is not null)
            {
                return Task.FromResult(false);
            }

            s.RunningRunId = runId;
            return Task.FromResult(true);
        }
    }

    public Task ReleaseAsync(Guid scheduleId, Guid runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_schedules[scheduleId].RunningRunId == runId)
            {
                _schedules[scheduleId].RunningRunId = null;
            }

            return Task.CompletedTask;
        }
    }

    public Task<ScheduleRun> AddRunAsync(ScheduleRun run, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            run.Number = _runs.Values.Count(r => r.ScheduleId == run.ScheduleId) + 1;
            _runs[run.Id] = run;
            return Task.FromResult(run);
        }
    }

    public Task<ScheduleRun?> GetRunAsync(Guid id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_runs.GetValueOrDefault(id));
        }
    }

    public Task<ScheduleRun?> UpdateRunAsync(Guid id, Action<ScheduleRun> change, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_runs.GetValueOrDefault(id) is { } r)
            {
                change(r);
            }

            return Task.FromResult(_runs.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<ScheduleRun>> ListRunsAsync(Guid? scheduleId = null, int take = 100, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ScheduleRun>>([.. _runs.Values.Where(r => scheduleId is null || r.ScheduleId == scheduleId).OrderByDescending(r => r.StartedAt).Take(take)]);
        }
    }
}

internal sealed class RecordingRetrainingScheduler : IRetrainingScheduler
{
    public Dictionary<Guid, string> Recurring { get; } = [];

    public List<(Guid Schedule, string Trigger, RunOverrides? Overrides)> Enqueued { get; } = [];

    public void Sync(RetrainingSchedule schedule)
    {
        if (schedule.OnCron && !schedule.Paused)
        {
            Recurring[schedule.Id] = schedule.Cron;
        }
        else
        {
            Recurring.Remove(schedule.Id);
        }
    }

    public string EnqueueRun(Guid scheduleId, string trigger, RunOverrides? overrides = null)
    {
        Enqueued.Add((scheduleId, trigger, overrides));
        return $"job-{Enqueued.Count}";
    }
}

internal sealed class MemoryAuditLog : IAuditLog
{
    public List<AuditEvent> Events { get; } = [];

    public Task AppendAsync(AuditEvent entry, CancellationToken cancellationToken = default)
    {
        Events.Add(entry);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEvent>> ListAsync(int skip = 0, int take = 100, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuditEvent>>([.. Events.AsEnumerable().Reverse().Skip(skip).Take(take)]);
}

using LynqDashboard.Core;
using LynqDashboard.Core.Retraining;
using Microsoft.EntityFrameworkCore;

namespace LynqDashboard.Infrastructure.Registry;

/// <summary>
/// Retraining schedules and their runs on EF Core. The overlap lock is one conditional UPDATE (only while no run holds
/// it), so of two processes that fire the same schedule at once exactly one takes it; run numbers are unique per
/// schedule, and a number taken at the same moment by another process is retried with the next.
/// </summary>
public sealed class EfRetrainingStore(IDbContextFactory<RegistryDbContext> contexts) : IRetrainingStore
{
    // Each round of a race has one winner, so this many processes may number runs of one schedule at the same moment.
    private const int NumberAttempts = 20;

    public async Task<RetrainingSchedule> AddScheduleAsync(RetrainingSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.RetrainingSchedules.Add(schedule);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            throw new LynqException(ProblemKind.Conflict, $"A retraining schedule named '{schedule.Name}' already exists; choose another name.", "name", e);
        }

        return schedule;
    }

    public async Task<RetrainingSchedule?> GetScheduleAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.RetrainingSchedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RetrainingSchedule>> ListSchedulesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.RetrainingSchedules.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<RetrainingSchedule?> UpdateScheduleAsync(Guid id, Action<RetrainingSchedule> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var schedule = await db.RetrainingSchedules.FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false);
        if (schedule is null)
        {
            return null;
        }

        // Only the changed columns are written: a lock taken meanwhile by another process is not overwritten.
        change(schedule);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return schedule;
    }

    public async Task<bool> TryLockAsync(Guid scheduleId, Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var taken = await db.RetrainingSchedules.Where(s => s.Id == scheduleId && s.RunningRunId == null)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.RunningRunId, runId), cancellationToken).ConfigureAwait(false);
        return taken == 1;
    }

    public async Task ReleaseAsync(Guid scheduleId, Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.RetrainingSchedules.Where(s => s.Id == scheduleId && s.RunningRunId == runId)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.RunningRunId, (Guid?)null), cancellationToken).ConfigureAwait(false);
    }

    public async Task<ScheduleRun> AddRunAsync(ScheduleRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            run.Number = (await db.ScheduleRuns.Where(r => r.ScheduleId == run.ScheduleId).MaxAsync(r => (int?)r.Number, cancellationToken).ConfigureAwait(false) ?? 0) + 1;
            db.ScheduleRuns.Add(run);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return run;
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && attempt < NumberAttempts)
            {
                // Another process numbered a run of this schedule at the same moment: take the next number.
            }
        }
    }

    public async Task<ScheduleRun?> GetRunAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.ScheduleRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ScheduleRun?> UpdateRunAsync(Guid id, Action<ScheduleRun> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var run = await db.ScheduleRuns.FirstOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return null;
        }

        change(run);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return run;
    }

    public async Task<IReadOnlyList<ScheduleRun>> ListRunsAsync(Guid? scheduleId = null, int take = 100, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.ScheduleRuns.AsNoTracking();
        if (scheduleId is { } id)
        {
            query = query.Where(r => r.ScheduleId == id);
        }

        // Newest first: by start, then number (two runs of one schedule may start in the same tick).
        return await query.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Number).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}

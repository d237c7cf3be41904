using LynqDashboard.Core.Access;
using LynqDashboard.Core.Retraining;
using LynqDashboard.Web.Security;

namespace LynqDashboard.Web.Retraining;

/// <summary>What a signed-in person does on the Schedules page, each checked against their role on the server (Trainer).</summary>
public sealed class ScheduleActions(UserAccess access, RetrainingSchedules schedules)
{
    public async Task<RetrainingSchedule> CreateAsync(ScheduleDraft draft, CancellationToken cancellationToken)
    {
        var actor = await access.RequireAsync(LynqRoles.Trainer, "create a retraining schedule");
        return await schedules.CreateAsync(draft, actor, cancellationToken);
    }

    public async Task<RetrainingSchedule> PauseAsync(Guid id, CancellationToken cancellationToken)
    {
        var actor = await access.RequireAsync(LynqRoles.Trainer, "pause a retraining schedule");
        return await schedules.PauseAsync(id, actor, cancellationToken);
    }

    public async Task<RetrainingSchedule> ResumeAsync(Guid id, CancellationToken cancellationToken)
    {
        var actor = await access.RequireAsync(LynqRoles.Trainer, "resume a retraining schedule");
        return await schedules.ResumeAsync(id, actor, cancellationToken);
    }

    /// <summary>Queues one run now; returns the job id.</summary>
    public async Task<string> RunNowAsync(Guid id, RunOverrides? overrides, CancellationToken cancellationToken)
    {
        var actor = await access.RequireAsync(LynqRoles.Trainer, "run a retraining schedule");
        return await schedules.RunNowAsync(id, actor, overrides, cancellationToken);
    }
}

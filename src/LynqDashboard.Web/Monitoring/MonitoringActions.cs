using LynqDashboard.Core.Access;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Web.Security;

namespace LynqDashboard.Web.Monitoring;

/// <summary>What a signed-in person does on the Monitoring and Decisions pages, each checked against their role on the server.</summary>
public sealed class MonitoringActions(UserAccess access, IMonitoringRunner runner, MonitoringSchedule schedule)
{
    /// <summary>Computes one snapshot of a version (null: the fallback) now (Trainer).</summary>
    public async Task<MonitoringSnapshot> RunNowAsync(int? versionNumber, CancellationToken cancellationToken)
    {
        await access.RequireAsync(LynqRoles.Trainer, "run monitoring");
        return await runner.RunAsync(versionNumber, cancellationToken);
    }

    /// <summary>Changes when snapshots are computed (Admin); a bad expression is refused naming the field.</summary>
    public async Task<MonitoringScheduleView> SetScheduleAsync(string? cron, CancellationToken cancellationToken)
    {
        var actor = await access.RequireAsync(LynqRoles.Admin, "change the monitoring schedule");
        return await schedule.SetAsync(cron, actor, cancellationToken);
    }
}

using LynqDashboard.Web.Configuration;

namespace LynqDashboard.Web.Monitoring;

/// <summary>Monitoring snapshots: frozen bins, the scheduled job, alerts (notice, gauges, webhook) and the monitoring endpoints.</summary>
public static class SnapshotServices
{
    public static IServiceCollection AddMonitoringSnapshots(this IServiceCollection services, ProcessRole role)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapMonitoringSnapshots(this IEndpointRouteBuilder app, ProcessRoleInfo role)
    {
        return app;
    }
}

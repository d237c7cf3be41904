using LynqDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Monitoring;

/// <summary>
/// Production monitoring's one place of registration: the options (Lynq:Monitoring), then the decision ledger
/// (<see cref="LedgerServices"/>), the snapshots and their alerts (<see cref="SnapshotServices"/>) and the traffic
/// simulator (<see cref="SimulationServices"/>), each for the roles that use it.
/// </summary>
public static class MonitoringServiceRegistration
{
    public static IServiceCollection AddLynqMonitoring(this IServiceCollection services, IConfiguration configuration, ProcessRole role)
    {
        services.AddOptions<MonitoringOptions>().Bind(configuration.GetSection(MonitoringOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MonitoringOptions>, MonitoringOptionsValidator>();
        services.AddDecisionLedger(role);
        services.AddMonitoringSnapshots(role);
        services.AddTrafficSimulation(role);
        return services;
    }

    /// <summary>The monitoring endpoints of the roles that serve them.</summary>
    public static IEndpointRouteBuilder MapLynqMonitoring(this IEndpointRouteBuilder app, ProcessRoleInfo role)
    {
        ArgumentNullException.ThrowIfNull(role);
        app.MapDecisionLedger(role);
        app.MapMonitoringSnapshots(role);
        app.MapTrafficSimulation(role);
        return app;
    }
}

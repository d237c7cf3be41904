using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Retraining;
using LynqDashboard.Web.Configuration;

namespace LynqDashboard.Web.Retraining;

/// <summary>
/// Retraining schedules' one place of registration: the schedules service, the runner and its job, the Hangfire
/// scheduler, the alert trigger beside the other monitoring sinks, and the start-up sync, for the roles that use them.
/// </summary>
public static class RetrainingServiceRegistration
{
    public static IServiceCollection AddLynqRetraining(this IServiceCollection services, ProcessRole role)
    {
        if (role == ProcessRole.Scoring)
        {
            return services;
        }

        services.AddSingleton<IRetrainingScheduler, HangfireRetrainingScheduler>();
        services.AddSingleton<RetrainingSchedules>();
        services.AddSingleton<LedgerDatasetBuilder>();
        services.AddSingleton<IRetrainingRunner, RetrainingRunner>();
        services.AddTransient<RetrainingJob>();
        services.AddSingleton<IMonitoringAlertSink, RetrainingAlertTrigger>();
        services.AddScoped<ScheduleActions>();
        if (role is ProcessRole.All or ProcessRole.Worker)
        {
            services.AddHostedService<RetrainingScheduleStartup>();
        }

        return services;
    }

    /// <summary>The schedule endpoints, where the dashboard is served.</summary>
    public static IEndpointRouteBuilder MapRetraining(this IEndpointRouteBuilder app, ProcessRoleInfo role)
    {
        ArgumentNullException.ThrowIfNull(role);
        if (role.ServesDashboard)
        {
            app.MapRetrainingApi();
        }

        return app;
    }
}

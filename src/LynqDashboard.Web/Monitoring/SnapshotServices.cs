using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Web.Configuration;
using LynqDashboard.Web.Endpoints;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Monitoring;

/// <summary>Monitoring snapshots: frozen bins, the scheduled job, alerts (notice, gauges, webhook) and the monitoring endpoints.</summary>
public static class SnapshotServices
{
    public static IServiceCollection AddMonitoringSnapshots(this IServiceCollection services, ProcessRole role)
    {
        // Every role: the notice and the gauges read the stored snapshots, so each process's /metrics shows the same.
        services.AddSingleton<MonitoringMetrics>();
        services.AddSingleton<MonitoringNotices>();
        services.AddHostedService<MonitoringNoticeRefresh>();
        if (role == ProcessRole.Scoring)
        {
            return services;
        }

        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<MonitoringOptions>>().Value;
            return new MonitoringRunSettings(options.WindowDays, options.Vintage, options.ToThresholds());
        });
        services.AddSingleton<VersionBaselines>();
        services.AddSingleton<ITrainedVersionFollowUp, FrozenBinsAtTraining>();
        services.AddSingleton(AlertWebhookTiming.Default);
        services.AddHttpClient(AlertWebhook.ClientName);
        services.AddSingleton<AlertWebhook>();
        services.AddSingleton<IMonitoringAlertSink>(provider => provider.GetRequiredService<MonitoringNotices>());
        services.AddSingleton<IMonitoringAlertSink>(provider => provider.GetRequiredService<AlertWebhook>());
        services.AddSingleton<IMonitoringRunner, MonitoringRunner>();
        services.AddSingleton<MonitoringSchedule>();
        services.AddTransient<MonitoringSnapshotJob>();
        if (role is ProcessRole.All or ProcessRole.Worker)
        {
            services.AddHostedService<MonitoringScheduleStartup>();
        }

        return services;
    }

    public static IEndpointRouteBuilder MapMonitoringSnapshots(this IEndpointRouteBuilder app, ProcessRoleInfo role)
    {
        ArgumentNullException.ThrowIfNull(role);
        if (role.ServesDashboard)
        {
            app.MapMonitoringApi();
        }

        return app;
    }
}

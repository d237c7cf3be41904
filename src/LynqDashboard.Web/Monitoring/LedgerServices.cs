using LynqDashboard.Core.Monitoring;
using LynqDashboard.Web.Configuration;
using LynqDashboard.Web.Endpoints;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Monitoring;

/// <summary>The decision ledger: the buffered writer, the store, retention, the decisions and outcomes endpoints.</summary>
public static class LedgerServices
{
    public static IServiceCollection AddDecisionLedger(this IServiceCollection services, ProcessRole role)
    {
        services.AddSingleton(provider =>
        {
            var ledger = provider.GetRequiredService<IOptions<MonitoringOptions>>().Value.Ledger;
            return new DecisionLedger(ledger.Enabled, ledger.Capacity, TimeSpan.FromMilliseconds(ledger.LingerMilliseconds));
        });
        services.AddSingleton<IDecisionLedger>(provider => provider.GetRequiredService<DecisionLedger>());
        services.AddSingleton<DecisionRecorder>();
        services.AddSingleton<LedgerMetrics>();
        if (role != ProcessRole.Worker)
        {
            // Registered after RegistryStartup (AddLynqWeb's shared part): the tables exist before the first batch.
            services.AddHostedService<LedgerWriter>();
            services.AddHostedService<LedgerDropReporter>();
        }

        if (role is ProcessRole.All or ProcessRole.Worker)
        {
            services.AddTransient<DecisionRetentionJob>();
            services.AddHostedService<DecisionRetentionSchedule>();
        }

        return services;
    }

    public static IEndpointRouteBuilder MapDecisionLedger(this IEndpointRouteBuilder app, ProcessRoleInfo role)
    {
        ArgumentNullException.ThrowIfNull(role);
        if (role.ServesScoring)
        {
            app.MapOutcomes();
        }

        if (role.ServesDashboard)
        {
            app.MapDecisions();
        }

        return app;
    }
}

using LynqDashboard.Web.Configuration;

namespace LynqDashboard.Web.Monitoring;

/// <summary>The decision ledger: the buffered writer, the store, retention, the decisions and outcomes endpoints.</summary>
public static class LedgerServices
{
    public static IServiceCollection AddDecisionLedger(this IServiceCollection services, ProcessRole role)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapDecisionLedger(this IEndpointRouteBuilder app, ProcessRoleInfo role)
    {
        return app;
    }
}

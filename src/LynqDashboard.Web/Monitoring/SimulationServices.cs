using LynqDashboard.Web.Configuration;

namespace LynqDashboard.Web.Monitoring;

/// <summary>The traffic simulator as an Admin action (demos).</summary>
public static class SimulationServices
{
    public static IServiceCollection AddTrafficSimulation(this IServiceCollection services, ProcessRole role)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapTrafficSimulation(this IEndpointRouteBuilder app, ProcessRoleInfo role)
    {
        return app;
    }
}

using LynqDashboard.Core.Access;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Configuration;
using LynqDashboard.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LynqDashboard.Web.Monitoring;

/// <summary>The traffic simulator as an Admin action (demos): the background run and its endpoints, on dashboard processes.</summary>
public static class SimulationServices
{
    public static IServiceCollection AddTrafficSimulation(this IServiceCollection services, ProcessRole role)
    {
        if (role is not (ProcessRole.All or ProcessRole.Web))
        {
            return services;
        }

        // The ledger is asked for, not required: a process without one refuses a run with a sentence instead of failing to start.
        return services.AddSingleton(provider => new TrafficSimulation(
            provider.GetRequiredService<ActiveModel>(),
            provider.GetRequiredService<CreditScorer>(),
            provider.GetService<IDecisionLedger>(),
            provider.GetRequiredService<IDecisionStore>(),
            provider.GetRequiredService<IAuditLog>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<TrafficSimulation>>()));
    }

    public static IEndpointRouteBuilder MapTrafficSimulation(this IEndpointRouteBuilder app, ProcessRoleInfo role)
    {
        ArgumentNullException.ThrowIfNull(role);
        if (!role.ServesDashboard)
        {
            return app;
        }

        var api = app.MapGroup("/api/dashboard/simulations").RequireAuthorization(LynqRoles.Viewer).AddEndpointFilter<DashboardApiEndpoints.DashboardApiFilter>();
        api.MapPost("/", async Task<Accepted<SimulationStatus>> (SimulationRequest? request, UserAccess access, TrafficSimulation simulation) =>
        {
            var by = await access.RequireAsync(LynqRoles.Admin, "run a traffic simulation");
            var status = await simulation.StartAsync(request ?? new SimulationRequest(), by);
            return TypedResults.Accepted($"/api/dashboard/simulations/{status.Id}", status);
        }).WithSummary("Starts a traffic simulation in this process (Admin): {\"rows\": 20000, \"drift\": \"none\", \"outcomes\": true, \"seed\": 1, \"hours\": 24}; one at a time.");
        api.MapGet("/{id:guid}", Results<Ok<SimulationStatus>, NotFound> (Guid id, TrafficSimulation simulation) =>
            simulation.Get(id) is { } status ? TypedResults.Ok(status) : TypedResults.NotFound())
            .WithSummary("Where a simulation stands: rows done, actions, outcomes recorded, finished or failed.");
        api.MapPost("/{id:guid}/cancel", async Task<Results<Accepted, NotFound>> (Guid id, UserAccess access, TrafficSimulation simulation) =>
        {
            await access.RequireAsync(LynqRoles.Admin, "cancel a traffic simulation");
            return simulation.Cancel(id) ? TypedResults.Accepted($"/api/dashboard/simulations/{id}") : TypedResults.NotFound();
        }).WithSummary("Stops a running simulation (Admin); what it recorded stays.");
        return app;
    }
}

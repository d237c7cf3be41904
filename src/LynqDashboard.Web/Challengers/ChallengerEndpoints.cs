using LynqDashboard.Core.Access;
using LynqDashboard.Core.Challengers;
using LynqDashboard.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LynqDashboard.Web.Challengers;

/// <summary>
/// The shadow and the A/B split over HTTP: read by any signed-in person, started, changed and stopped by an Approver
/// (audited). Same cookie, anti-forgery header and problem answers as the other dashboard endpoints.
/// </summary>
public static class ChallengerEndpoints
{
    public static IEndpointRouteBuilder MapChallengers(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dashboard").RequireAuthorization(LynqRoles.Viewer).AddEndpointFilter<DashboardApiEndpoints.DashboardApiFilter>();
        api.MapGet("/challengers", async (ChallengerCommands commands, CancellationToken cancellationToken) => TypedResults.Ok(await commands.GetAsync(cancellationToken)))
            .WithSummary("The shadow version and the A/B split now (each null when none).");
        api.MapPost("/shadow", async Task<Results<Ok<ShadowAssignment>, ProblemHttpResult>> (ChallengerBody? body, ChallengerCommands commands, UserAccess access, CancellationToken cancellationToken) =>
        {
            var actor = await access.RequireAsync(LynqRoles.Approver, "put a version in shadow");
            return TypedResults.Ok(await commands.StartShadowAsync(body?.Version, actor, cancellationToken));
        }).WithSummary("Puts a Ready version in shadow (Approver): {\"version\": N}; every scoring request is also scored by it, the answers stay production's.");
        api.MapDelete("/shadow", async (ChallengerCommands commands, UserAccess access, CancellationToken cancellationToken) =>
        {
            var actor = await access.RequireAsync(LynqRoles.Approver, "stop the shadow");
            return TypedResults.Ok(new Stopped(await commands.StopShadowAsync(actor, cancellationToken)));
        }).WithSummary("Stops the shadow (Approver).");
        api.MapPost("/split", async Task<Results<Ok<SplitAssignment>, ProblemHttpResult>> (ChallengerBody? body, ChallengerCommands commands, UserAccess access, CancellationToken cancellationToken) =>
        {
            var actor = await access.RequireAsync(LynqRoles.Approver, "start an A/B split");
            return TypedResults.Ok(await commands.StartSplitAsync(body?.Version, body?.Percent, actor, cancellationToken));
        }).WithSummary("Starts or changes the A/B split (Approver): {\"version\": N, \"percent\": 10}; that share of wallets (by a stable hash of wallet_address) is answered by the challenger, with experiment_arm in the answer.");
        api.MapDelete("/split", async (ChallengerCommands commands, UserAccess access, CancellationToken cancellationToken) =>
        {
            var actor = await access.RequireAsync(LynqRoles.Approver, "stop the A/B split");
            return TypedResults.Ok(new Stopped(await commands.StopSplitAsync(actor, cancellationToken)));
        }).WithSummary("Stops the A/B split (Approver): production answers every wallet again.");
        return app;
    }

    /// <param name="Version">The Ready version's number.</param>
    /// <param name="Percent">The split's share of wallets, 0.1–50.</param>
    public sealed record ChallengerBody(int? Version, double? Percent);

    /// <param name="WasRunning">False when there was nothing to stop.</param>
    public sealed record Stopped(bool WasRunning);
}

/// <summary>The shadow and split's one place of registration, for the roles that score or serve the dashboard.</summary>
public static class ChallengerServiceRegistration
{
    public static IServiceCollection AddLynqChallengers(this IServiceCollection services, Configuration.ProcessRole role)
    {
        services.AddSingleton<ActiveChallengers>();
        if (role == Configuration.ProcessRole.Worker)
        {
            return services;
        }

        services.AddSingleton<ChallengerRefresh>();
        services.AddSingleton<Infrastructure.Storage.S3ChallengerSource>();
        services.AddSingleton(provider => new Core.Monitoring.ShadowScorer(provider.GetRequiredService<Core.Scoring.CreditScorer>(), provider.GetRequiredService<ActiveChallengers>()));
        services.AddHostedService<ChallengerRefreshService>();
        if (role != Configuration.ProcessRole.Scoring)
        {
            // Changing them is a dashboard action: a scoring node only follows.
            services.AddSingleton<ChallengerPointers>();
            services.AddSingleton<ChallengerCommands>();
            services.AddScoped<ChallengerActions>();
        }

        return services;
    }

    public static IEndpointRouteBuilder MapLynqChallengers(this IEndpointRouteBuilder app, ProcessRoleInfo role)
    {
        ArgumentNullException.ThrowIfNull(role);
        if (role.ServesDashboard)
        {
            app.MapChallengers();
        }

        return app;
    }
}

using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Web.Endpoints;

/// <summary>GET /health: no key, answers as soon as the app is up (the LYNQ contract's shape).</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", (AppUptime uptime, ActiveModel active) =>
        {
            var serving = active.Current;
            return TypedResults.Ok(new HealthResponse(
                active.LastError is null ? "ok" : "degraded", serving.Model is not null, serving.Model?.Version, uptime.Seconds, active.LastError));
        }).WithName("Health").WithSummary("Liveness and the serving model; no key needed.").AllowAnonymous();
        return app;
    }

    /// <summary>"degraded" with <paramref name="LastError"/> when a newer model failed to load and the previous one still serves.</summary>
    public sealed record HealthResponse(string Status, bool ModelLoaded, string? ModelVersion, double UptimeSeconds, string? LastError);
}

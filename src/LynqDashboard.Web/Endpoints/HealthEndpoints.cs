namespace LynqDashboard.Web.Endpoints;

/// <summary>GET /health: no key, answers as soon as the app is up (the LYNQ contract's shape).</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", (AppUptime uptime) => TypedResults.Ok(new HealthResponse("ok", ModelLoaded: false, ModelVersion: null, uptime.Seconds)))
            .WithName("Health");
        return app;
    }

    /// <summary>The model fields are filled once scoring lands; until then no model is loaded.</summary>
    public sealed record HealthResponse(string Status, bool ModelLoaded, string? ModelVersion, double UptimeSeconds);
}

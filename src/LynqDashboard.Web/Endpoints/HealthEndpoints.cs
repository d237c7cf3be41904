using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LynqDashboard.Web.Endpoints;

/// <summary>
/// GET /health: no key, answers as soon as the app is up (the LYNQ contract's shape). Anonymous callers learn only
/// ok/degraded and the model; why it is degraded (which can name a bucket, a key or a path) is for a caller with a
/// valid X-API-KEY or a signed-in user, and on the dashboard.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Results<Ok<HealthResponse>, Ok<HealthDetails>> (HttpContext context, AppUptime uptime, ActiveModel active) =>
        {
            var serving = active.Current;
            var error = active.LastError;
            var status = error is null ? "ok" : "degraded";
            if (MaySeeDetails(context))
            {
                return TypedResults.Ok(new HealthDetails(status, serving.Model is not null, serving.Model?.Version, uptime.Seconds, error));
            }

            return TypedResults.Ok(new HealthResponse(status, serving.Model is not null, serving.Model?.Version, uptime.Seconds));
        }).WithName("Health").WithSummary("Liveness and the serving model; no key needed (with a key or a sign-in, also why it is degraded).").AllowAnonymous();
        return app;
    }

    // A wrong key here counts against the address like one on the scoring API, so /health is no way around the throttle.
    private static bool MaySeeDetails(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true
        || (context.Request.Headers.ContainsKey(Scoring.ApiKeyRing.Header)
            && context.RequestServices.GetService<ApiKeyGuard>() is { } guard
            && guard.Check(context, out _) == KeyVerdict.Valid);

    /// <summary>What anyone may read.</summary>
    public sealed record HealthResponse(string Status, bool ModelLoaded, string? ModelVersion, double UptimeSeconds);

    /// <summary>The same, plus <paramref name="LastError"/> when a newer model failed to load and the previous one still serves.</summary>
    public sealed record HealthDetails(string Status, bool ModelLoaded, string? ModelVersion, double UptimeSeconds, string? LastError);
}

using System.Text.Json;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Serialization;

namespace LynqDashboard.Web.Endpoints;

/// <summary>The active risk policy for the services that call the scoring API: behind X-API-KEY and its rate limit, like /model/info.</summary>
public static class PolicyEndpoints
{
    public static IEndpointRouteBuilder MapPolicy(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/policy", (ActivePolicy active) => TypedResults.Content(JsonSerializer.Serialize(ActivePolicyResponse.Of(active.Current), LynqJson.Compact), "application/json"))
            .WithName("ActivePolicy")
            .WithSummary("The risk policy every answer uses now: its version (the policy_version answers carry), bands, hard rules and decline cutoff.")
            .AllowAnonymous()
            .AddEndpointFilter<ApiKeyFilter>()
            .RequireRateLimiting(ScoringEndpoints.RateLimitPolicy)
            .Produces<ActivePolicyResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    /// <param name="Version">The policy_version of every answer it decides.</param>
    /// <param name="Name">The policy's name.</param>
    /// <param name="DeclineCutoff">The lowest PD that is not approved.</param>
    /// <param name="Policy">The whole policy: bands, base rate, caps and hard rules.</param>
    public sealed record ActivePolicyResponse(int Version, string Name, double DeclineCutoff, RiskPolicy Policy)
    {
        public static ActivePolicyResponse Of(RiskPolicy policy)
        {
            ArgumentNullException.ThrowIfNull(policy);
            return new(policy.Version, policy.Name, policy.DeclineCutoff, policy);
        }
    }
}

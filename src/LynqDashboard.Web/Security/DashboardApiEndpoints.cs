using LynqDashboard.Core.Access;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LynqDashboard.Web.Security;

/// <summary>
/// The dashboard's state-changing actions over HTTP for a signed-in person (scripts, or a browser console): the
/// session cookie, an anti-forgery token in the X-XSRF-TOKEN header, and the same role checks as the pages.
/// </summary>
public static class DashboardApiEndpoints
{
    public const string TokenHeader = "X-XSRF-TOKEN";

    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dashboard").RequireAuthorization(LynqRoles.Viewer).AddEndpointFilter<DashboardApiFilter>();
        api.MapGet("/antiforgery", (HttpContext context, IAntiforgery antiforgery) =>
            TypedResults.Ok(new AntiforgeryTokenResponse(antiforgery.GetAndStoreTokens(context).RequestToken!, TokenHeader)))
            .WithSummary("A token for the X-XSRF-TOKEN header of the POSTs below.");
        api.MapPost("/promotions", async Task<Results<Accepted<PromotionAccepted>, ProblemHttpResult>> (PromoteRequest request, DashboardActions actions) =>
        {
            var promotion = await actions.PromoteAsync(request.Version, request.LeakageReason);
            return TypedResults.Accepted($"/promotions", new PromotionAccepted(promotion.Id, promotion.Label, promotion.Status.ToString()));
        }).WithSummary("Queues a promotion (Approver).");
        api.MapPost("/promotions/rollback", async Task<Results<Accepted<PromotionAccepted>, ProblemHttpResult>> (DashboardActions actions) =>
        {
            var rollback = await actions.RollbackAsync();
            return TypedResults.Accepted($"/promotions", new PromotionAccepted(rollback.Id, rollback.Label, rollback.Status.ToString()));
        }).WithSummary("Queues a rollback (Approver).");
        return app;
    }

    public sealed record PromoteRequest(int Version, string? LeakageReason);

    public sealed record PromotionAccepted(Guid Id, string Label, string Status);

    public sealed record AntiforgeryTokenResponse(string Token, string Header);

    /// <summary>
    /// Checks the anti-forgery token on POSTs, hands the request's user to the role checks (which read the
    /// authentication state, as in a circuit), and turns refusals and bad input into problem details.
    /// </summary>
    private sealed class DashboardApiFilter(IAntiforgery antiforgery, AuthenticationStateProvider authentication) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var http = context.HttpContext;
            if (HttpMethods.IsPost(http.Request.Method) && !await antiforgery.IsRequestValidAsync(http))
            {
                return TypedResults.Problem($"Send the token from GET /api/dashboard/antiforgery in the {TokenHeader} header.", statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid anti-forgery token");
            }

            if (authentication is IHostEnvironmentAuthenticationStateProvider host)
            {
                host.SetAuthenticationState(Task.FromResult(new AuthenticationState(http.User)));
            }

            try
            {
                return await next(context);
            }
            catch (UnauthorizedAccessException e)
            {
                return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status403Forbidden, title: "Not allowed");
            }
            catch (ArgumentException e)
            {
                return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Invalid request");
            }
            catch (InvalidOperationException e)
            {
                return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Not possible now");
            }
        }
    }
}

using LynqDashboard.Core;
using LynqDashboard.Web.Endpoints;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
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
        api.MapPost("/runs", async Task<Results<Accepted<RunAccepted>, ProblemHttpResult>> (RunRequest request, DashboardActions actions) =>
        {
            if (request.Dataset is null)
            {
                return TypedResults.Problem("'dataset' is required: {\"dataset\": {\"rows\": 100000, \"seed\": 42}, \"training\": {\"trees\": 200}}.", statusCode: StatusCodes.Status422UnprocessableEntity, title: "Invalid request");
            }

            var (dataset, version) = await actions.GenerateAndTrainAsync(request.Dataset, request.Training ?? new TrainingParameters());
            return TypedResults.Accepted($"/api/dashboard/versions/{version.Id}", new RunAccepted(dataset.Id, version.Id, version.Number, version.Label));
        }).WithSummary("Queues a dataset generation and a training on it (Trainer); follow the version at its Location.");
        api.MapGet("/versions", async (IModelRegistry registry, VersionStatus? status) =>
            TypedResults.Ok((await registry.QueryVersionsAsync(new VersionQuery(Status: status, Take: 500))).Items.Select(VersionState.Of).ToList()))
            .WithSummary("Every version's status and progress, newest first (optionally one status).");
        api.MapGet("/versions/{id:guid}", async Task<Results<Ok<VersionState>, NotFound>> (Guid id, IModelRegistry registry) =>
            await registry.GetVersionAsync(id) is { } version ? TypedResults.Ok(VersionState.Of(version)) : TypedResults.NotFound())
            .WithSummary("One version's status, progress and headline metrics.");
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

    public sealed record RunRequest(DatasetParameters? Dataset, TrainingParameters? Training);

    public sealed record RunAccepted(Guid DatasetId, Guid VersionId, int Version, string Label);

    /// <summary>A version as scripts follow it: status, progress (trees for training) and headline metrics once Ready.</summary>
    public sealed record VersionState(Guid Id, int Number, string Label, string Status, string Stage, double Fraction, long Done, long Total, string? Error, double? RocAuc)
    {
        public static VersionState Of(ModelVersionRecord v) =>
            new(v.Id, v.Number, v.Label, v.Status.ToString(), v.Progress.Stage, v.Progress.Fraction, v.Progress.Done, v.Progress.Total, v.Error, v.RocAuc);
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
            catch (LynqException problem)
            {
                return problem.ToProblem();
            }
        }
    }
}

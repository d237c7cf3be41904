using LynqDashboard.Core;
using LynqDashboard.Web.Endpoints;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Governance;
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
        api.MapPost("/versions/{number:int}/promotion-requests", (int number, PromotionRequestBody? body, DashboardActions actions) => AskAsync(number, body, actions))
            .WithSummary("Asks for a version to go to production (Trainer): the gates and the comparison with production are computed and kept; a second Approver decides.");
        api.MapPost("/versions/{id:guid}/promotion-requests", async Task<Results<Accepted<PromotionRequestView>, NotFound, ProblemHttpResult>> (Guid id, PromotionRequestBody? body, DashboardActions actions, IModelRegistry registry) =>
            await registry.GetVersionAsync(id) is { } version
                ? await AskAsync(version.Number, body, actions)
                : TypedResults.NotFound())
            .WithSummary("The same, naming the version by its id.");
        api.MapGet("/promotion-requests", async (PromotionRequests requests, PromotionRequestStatus? status, int? version, IModelRegistry registry) =>
        {
            var versionId = version is { } n ? (await registry.GetVersionByNumberAsync(n))?.Id ?? Guid.Empty : (Guid?)null;
            return TypedResults.Ok((await requests.ListAsync(versionId, status, 200)).Select(PromotionRequestView.Of).ToList());
        }).WithSummary("Promotion requests, newest first (optionally one status or one version number).");
        api.MapGet("/promotion-requests/{id:guid}", async Task<Results<Ok<PromotionRequestView>, NotFound>> (Guid id, PromotionRequests requests) =>
            await requests.GetAsync(id) is { } request ? TypedResults.Ok(PromotionRequestView.Of(request)) : TypedResults.NotFound())
            .WithSummary("One promotion request with its gates, comparison and decision.");
        api.MapPost("/promotion-requests/{id:guid}/approve", async Task<Results<Accepted<PromotionRequestView>, ProblemHttpResult>> (Guid id, DecisionBody? body, DashboardActions actions) =>
        {
            var (request, promotion) = await actions.ApprovePromotionAsync(id, body?.Comment);
            return TypedResults.Accepted($"/api/dashboard/promotion-requests/{request.Id}", PromotionRequestView.Of(request) with { PromotionStatus = promotion.Status.ToString() });
        }).WithSummary("Approves a pending request and queues its promotion (Approver; not the requester or the version's trainer).");
        api.MapPost("/promotion-requests/{id:guid}/reject", async Task<Results<Ok<PromotionRequestView>, ProblemHttpResult>> (Guid id, DecisionBody? body, DashboardActions actions) =>
            TypedResults.Ok(PromotionRequestView.Of(await actions.RejectPromotionAsync(id, body?.Comment))))
            .WithSummary("Rejects a pending request with a comment (Approver).");
        api.MapPost("/promotion-requests/{id:guid}/withdraw", async Task<Results<Ok<PromotionRequestView>, ProblemHttpResult>> (Guid id, DecisionBody? body, DashboardActions actions) =>
            TypedResults.Ok(PromotionRequestView.Of(await actions.WithdrawPromotionAsync(id, body?.Comment))))
            .WithSummary("Withdraws one's own pending request.");
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

    private static async Task<Results<Accepted<PromotionRequestView>, NotFound, ProblemHttpResult>> AskAsync(int number, PromotionRequestBody? body, DashboardActions actions)
    {
        var request = await actions.RequestPromotionAsync(number, body?.Comment, body?.LeakageReason, body?.MonotonicityReason);
        return TypedResults.Accepted($"/api/dashboard/promotion-requests/{request.Id}", PromotionRequestView.Of(request));
    }

    /// <param name="Comment">Why this version should serve (required).</param>
    /// <param name="LeakageReason">Required when the leakage check flagged the version.</param>
    /// <param name="MonotonicityReason">Required when its PD moves against a declared direction too often.</param>
    public sealed record PromotionRequestBody(string? Comment, string? LeakageReason, string? MonotonicityReason);

    public sealed record DecisionBody(string? Comment);

    /// <summary>A promotion request as scripts read it.</summary>
    public sealed record PromotionRequestView(
        Guid Id, int Version, string Status, string RequestedBy, DateTimeOffset RequestedAt, string Comment, string? TrainedBy,
        int? ProductionVersion, string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionComment, bool SecondApproverRequired,
        string? LeakageReason, string? MonotonicityReason, Guid? PromotionId, PromotionReview Review, string? PromotionStatus = null)
    {
        public static PromotionRequestView Of(PromotionRequestRecord r) => new(
            r.Id, r.VersionNumber, r.Status.ToString(), r.RequestedBy, r.RequestedAt, r.Comment, r.TrainedBy, r.ProductionNumber, r.DecidedBy, r.DecidedAt,
            r.DecisionComment, r.SecondApproverRequired, r.LeakageReason, r.MonotonicityReason, r.PromotionId, r.Review);
    }

    public sealed record PromotionAccepted(Guid Id, string Label, string Status);

    public sealed record AntiforgeryTokenResponse(string Token, string Header);

    /// <summary>
    /// Checks the anti-forgery token on POSTs, hands the request's user to the role checks (which read the
    /// authentication state, as in a circuit), and turns refusals and bad input into problem details.
    /// </summary>
    internal sealed class DashboardApiFilter(IAntiforgery antiforgery, AuthenticationStateProvider authentication) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var http = context.HttpContext;
            // Every method that can change something (POST, PUT, DELETE, PATCH) needs the token; only reads go without.
            if (!(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)) && !await antiforgery.IsRequestValidAsync(http))
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

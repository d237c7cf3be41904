using LynqDashboard.Core;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LynqDashboard.Web.Endpoints;

/// <summary>
/// The one place a <see cref="LynqException"/> becomes an HTTP answer: problem details with the status of its kind, and
/// for invalid input the fields it names under <c>errors</c>. Endpoints may return it themselves; anything that lets one
/// escape gets the same answer from <see cref="LynqExceptionHandler"/>.
/// </summary>
public static class ProblemMapping
{
    public static int StatusCode(ProblemKind kind) => kind switch
    {
        ProblemKind.Invalid => StatusCodes.Status422UnprocessableEntity,
        ProblemKind.NotFound => StatusCodes.Status404NotFound,
        ProblemKind.Conflict => StatusCodes.Status409Conflict,
        ProblemKind.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status503ServiceUnavailable,
    };

    public static string Title(ProblemKind kind) => kind switch
    {
        ProblemKind.Invalid => "Invalid request",
        ProblemKind.NotFound => "Not found",
        ProblemKind.Conflict => "Not possible now",
        ProblemKind.Forbidden => "Not allowed",
        _ => "Not available",
    };

    public static ProblemHttpResult ToProblem(this LynqException problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var status = StatusCode(problem.Kind);
        if (problem.Kind == ProblemKind.Invalid && problem.Problems.Count > 0)
        {
            var errors = problem.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray());
            return TypedResults.Problem(new HttpValidationProblemDetails(errors) { Status = status, Title = Title(problem.Kind), Detail = problem.Message });
        }

        return TypedResults.Problem(problem.Message, statusCode: status, title: Title(problem.Kind));
    }
}

/// <summary>Answers a <see cref="LynqException"/> that escaped an endpoint as <see cref="ProblemMapping"/> says, never as a 500.</summary>
public sealed class LynqExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not LynqException problem || httpContext.Response.HasStarted)
        {
            return false;
        }

        await problem.ToProblem().ExecuteAsync(httpContext);
        return true;
    }
}

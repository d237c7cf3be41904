using LynqDashboard.Core.Registry;
using LynqDashboard.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace LynqDashboard.Web.Security;

/// <summary>Sign-out (a form POST with an anti-forgery token) and the single sign-on challenge.</summary>
public static class AccountEndpoints
{
    public const string OidcScheme = "oidc";

    public static IEndpointRouteBuilder MapAccount(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account");

        // [FromForm] makes the endpoint validate the anti-forgery token: a cross-site page cannot sign people out.
        account.MapPost("/logout", async (HttpContext context, SignInManager<LynqUser> signIn, SignInSessions sessions, IAuditLog audit, TimeProvider clock, [FromForm] string? returnUrl) =>
        {
            var name = context.User.Identity?.Name ?? UserAccess.Anonymous;

            // Ends the session on the server first: removing the cookie alone would leave any copy of it working.
            await sessions.EndAsync(context.User, "signout", context.RequestAborted);
            await signIn.SignOutAsync();
            await audit.AppendAsync(new AuditEvent { At = clock.GetUtcNow(), Actor = name, Action = "signout", Subject = name });
            return TypedResults.LocalRedirect("/account/login");
        }).AllowAnonymous();

        account.MapGet("/sso", async (HttpContext context, string? returnUrl, Microsoft.Extensions.Options.IOptions<AuthOptions> options, ILoggerFactory logs) =>
        {
            if (!options.Value.Oidc.Enabled)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                await Results.Problem("Single sign-on is not configured (Lynq:Auth:Oidc:Authority and ClientId).", statusCode: StatusCodes.Status404NotFound).ExecuteAsync(context);
                return;
            }

            var target = LocalUrl.OrHome(returnUrl);
            try
            {
                await context.ChallengeAsync(OidcScheme, new AuthenticationProperties { RedirectUri = target });
            }
            catch (InvalidOperationException e) when (!context.Response.HasStarted)
            {
                // The provider's discovery document could not be read (down, wrong Authority, no network).
                logs.CreateLogger("LynqDashboard.SingleSignOn").LogWarning("Single sign-on provider unreachable: {Error}", e.Message);
                context.Response.Redirect(SignInWithError($"The single sign-on provider at {options.Value.Oidc.Authority} cannot be reached. Sign in with your password, or try again later."));
            }
        }).AllowAnonymous();
        return app;
    }

    /// <summary>The sign-in page showing <paramref name="message"/>.</summary>
    public static string SignInWithError(string message) => "/account/login?error=" + Uri.EscapeDataString(message);

    /// <summary>Where a one-time password is replaced.</summary>
    public const string ChangePasswordPath = "/account/change-password";

    /// <summary>
    /// Until a one-time password is replaced, the account opens nothing but the change-password page: pages and
    /// downloads redirect there, API calls and other non-GET requests get 403 problem details saying why.
    /// </summary>
    public static IApplicationBuilder UseMustChangePassword(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!context.User.HasClaim(LynqClaimsFactory.MustChangePassword, "true") || MayPassBeforeChange(context))
        {
            await next(context);
            return;
        }

        var method = context.Request.Method;
        if (context.Request.Path.StartsWithSegments("/api") || !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method)))
        {
            await TypedResults.Problem($"A password change is due: choose a new password at {ChangePasswordPath} before anything else.",
                statusCode: StatusCodes.Status403Forbidden, title: "Password change due").ExecuteAsync(context);
            return;
        }

        context.Response.Redirect(ChangePasswordPath);
    });

    private static bool MayPassBeforeChange(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments(ChangePasswordPath) || path.StartsWithSegments("/account/logout")
            || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content"))
        {
            return true;
        }

        // What needs no sign-in stays open (the sign-in page, /health, /metrics, static files, the API-key endpoints);
        // the job dashboard is marked anonymous only because its own filter checks the role, so it is not among them.
        return context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null
            && !path.StartsWithSegments("/jobs");
    }
}

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
        account.MapPost("/logout", async (HttpContext context, SignInManager<LynqUser> signIn, IAuditLog audit, TimeProvider clock, [FromForm] string? returnUrl) =>
        {
            var name = context.User.Identity?.Name ?? UserAccess.Anonymous;
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

            var target = returnUrl is { Length: > 0 } url && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) ? url : "/";
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

    /// <summary>Until a one-time password is replaced, every page leads to the change-password page.</summary>
    public static IApplicationBuilder UseMustChangePassword(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (context.User.HasClaim(LynqClaimsFactory.MustChangePassword, "true")
            && HttpMethods.IsGet(context.Request.Method)
            && !path.StartsWithSegments("/account") && !path.StartsWithSegments("/_framework") && !path.StartsWithSegments("/_content")
            && !path.StartsWithSegments("/health") && !Path.HasExtension(path.Value))
        {
            context.Response.Redirect("/account/change-password");
            return;
        }

        await next(context);
    });
}

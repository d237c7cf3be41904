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

        account.MapGet("/sso", (string? returnUrl, Microsoft.Extensions.Options.IOptions<AuthOptions> options) =>
        {
            if (!options.Value.Oidc.Enabled)
            {
                return Results.Problem("Single sign-on is not configured (Lynq:Auth:Oidc:Authority and ClientId).", statusCode: StatusCodes.Status404NotFound);
            }

            var target = returnUrl is { Length: > 0 } url && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) ? url : "/";
            return Results.Challenge(new AuthenticationProperties { RedirectUri = target }, [OidcScheme]);
        }).AllowAnonymous();
        return app;
    }

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

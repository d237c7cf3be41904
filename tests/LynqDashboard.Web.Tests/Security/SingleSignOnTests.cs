using System.Net;
using System.Security.Claims;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Registry;
using LynqDashboard.Infrastructure.Identity;
using LynqDashboard.Web.Security;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace LynqDashboard.Web.Tests.Security;

/// <summary>
/// OpenID Connect sign-in. No identity provider runs here, so the provider's side is stood in for: its discovery
/// document is given to the handler, and a received ticket is handed to the app's handler directly.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class SingleSignOnTests
{
    private static readonly OidcOptions Options = new()
    {
        Authority = "https://sso.lynq.example/realms/lynq", ClientId = "lynq-dashboard", RoleClaim = "groups",
        RoleMap = { ["risk-approvers"] = LynqRoles.Approver, ["risk-team"] = LynqRoles.Viewer, ["ml-engineers"] = LynqRoles.Trainer },
    };

    [Theory]
    [InlineData(new[] { "risk-team" }, LynqRoles.Viewer)]
    [InlineData(new[] { "risk-team", "risk-approvers" }, LynqRoles.Approver)]
    [InlineData(new[] { "ml-engineers risk-team" }, LynqRoles.Trainer)] // space-separated in one claim
    [InlineData(new[] { "marketing" }, null)]
    [InlineData(new string[0], null)]
    public void MapRole_TakesTheHighestMappedRole_OrNone(string[] groups, string? expected)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(groups.Select(g => new Claim("groups", g)), "oidc"));

        Assert.Equal(expected, SingleSignOn.MapRole(principal, Options));
        Assert.Equal(LynqRoles.Viewer, SingleSignOn.MapRole(new ClaimsPrincipal(new ClaimsIdentity()), new OidcOptions { DefaultRole = LynqRoles.Viewer }));
    }

    [Fact]
    public void Validation_NamesTheKeys()
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions { Oidc = new OidcOptions { Authority = "http://sso.example", RoleMap = { ["x"] = "Boss" } } });

        Assert.Contains(result.Failures!, f => f.Contains("Lynq:Auth:Oidc:Authority must be an https URL", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Lynq:Auth:Oidc:ClientId is required", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Lynq:Auth:Oidc:RoleMap:x is 'Boss'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignInPage_OffersSso_AndTheChallengeGoesToTheProviderWithPkce()
    {
        await using var factory = Configured();
        using var app = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.PostConfigure<OpenIdConnectOptions>(AccountEndpoints.OidcScheme, oidc => oidc.ConfigurationManager =
                new Microsoft.IdentityModel.Protocols.StaticConfigurationManager<OpenIdConnectConfiguration>(new OpenIdConnectConfiguration
                {
                    Issuer = Options.Authority, AuthorizationEndpoint = "https://sso.lynq.example/realms/lynq/protocol/openid-connect/auth",
                }))));
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        Assert.Contains("Sign in with single sign-on", await client.GetStringAsync("/account/login?returnUrl=%2Fmodels"), StringComparison.Ordinal);
        using var challenge = await client.GetAsync("/account/sso?returnUrl=%2Fmodels");

        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var location = challenge.Headers.Location!.ToString();
        Assert.StartsWith("https://sso.lynq.example/realms/lynq/protocol/openid-connect/auth?", location, StringComparison.Ordinal);
        Assert.Contains("client_id=lynq-dashboard", location, StringComparison.Ordinal);
        Assert.Contains("code_challenge=", location, StringComparison.Ordinal);
        Assert.Contains("redirect_uri=http%3A%2F%2Flocalhost%2Fsignin-oidc", location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProviderUnreachable_SendsPeopleBackToSignInWithTheReason_NotAnError()
    {
        await using var factory = Configured(); // sso.lynq.example does not resolve here
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var challenge = await client.GetAsync("/account/sso");

        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.StartsWith("/account/login?error=", challenge.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var page = await client.GetStringAsync(challenge.Headers.Location);
        Assert.Contains("cannot be reached. Sign in with your password", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TicketFromTheProvider_MakesALinkedLocalAccountWithTheMappedRole_AndSignsItIn()
    {
        await using var factory = Configured();
        await using var scope = factory.Services.CreateAsyncScope();
        var context = await ReceiveAsync(factory, scope, ("sub", "kc-42"), ("email", "ana@lynq.example"), ("groups", "risk-approvers"));

        Assert.Equal(StatusCodes.Status302Found, context.Response.StatusCode);
        Assert.Equal("/models", context.Response.Headers.Location.ToString());
        Assert.Contains("lynq.auth=", context.Response.Headers.SetCookie.ToString(), StringComparison.Ordinal);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<LynqUser>>();
        var user = await users.FindByLoginAsync(AccountEndpoints.OidcScheme, "kc-42");
        Assert.Equal("ana@lynq.example", user!.Email);
        Assert.Equal([LynqRoles.Approver], await users.GetRolesAsync(user));
        Assert.Contains(await factory.Services.GetRequiredService<IAuditLog>().ListAsync(0, 20), a => a.Action == "signin.succeeded" && a.Actor == "ana@lynq.example" && a.Detail.Contains("single sign-on", StringComparison.Ordinal));

        // Next time the provider says she moved teams: the role follows.
        await ReceiveAsync(factory, scope, ("sub", "kc-42"), ("email", "ana@lynq.example"), ("groups", "risk-team"));
        Assert.Equal([LynqRoles.Viewer], await users.GetRolesAsync((await users.FindByLoginAsync(AccountEndpoints.OidcScheme, "kc-42"))!));
    }

    [Fact]
    public async Task TicketWithNoMappedRole_IsSentBackToSignInWithTheReason_AndNoAccountIsMade()
    {
        await using var factory = Configured();
        await using var scope = factory.Services.CreateAsyncScope();

        var context = await ReceiveAsync(factory, scope, ("sub", "kc-7"), ("email", "eve@lynq.example"), ("groups", "marketing"));

        Assert.StartsWith("/account/login?error=", context.Response.Headers.Location.ToString(), StringComparison.Ordinal);
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<LynqUser>>().FindByEmailAsync("eve@lynq.example"));
        Assert.Contains(await factory.Services.GetRequiredService<IAuditLog>().ListAsync(0, 20), a => a.Action == "signin.failed" && a.Detail.Contains("no role mapped", StringComparison.Ordinal));
    }

    private static DashboardFactory Configured() => new()
    {
        Settings =
        {
            ["Lynq:Auth:Oidc:Authority"] = Options.Authority!, ["Lynq:Auth:Oidc:ClientId"] = Options.ClientId!, ["Lynq:Auth:Oidc:RoleClaim"] = "groups",
            ["Lynq:Auth:Oidc:RoleMap:risk-approvers"] = LynqRoles.Approver, ["Lynq:Auth:Oidc:RoleMap:risk-team"] = LynqRoles.Viewer,
        },
    };

    private static async Task<HttpContext> ReceiveAsync(DashboardFactory factory, AsyncServiceScope scope, params (string Type, string Value)[] claims)
    {
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Scheme = "https";
        http.Request.Host = new HostString("dashboard.lynq.example");
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = http;
        var options = scope.ServiceProvider.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(AccountEndpoints.OidcScheme);
        var scheme = (await scope.ServiceProvider.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(AccountEndpoints.OidcScheme))!;
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "oidc"));
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { RedirectUri = "/models" }, AccountEndpoints.OidcScheme);
        var context = new TicketReceivedContext(http, scheme, options, ticket) { ReturnUri = "/models" };
        await SingleSignOn.SignInLocallyAsync(context, factory.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Oidc);
        return http;
    }
}

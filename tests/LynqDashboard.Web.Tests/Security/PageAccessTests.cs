using System.Net;
using System.Reflection;
using LynqDashboard.Core.Access;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LynqDashboard.Web.Tests.Security;

/// <summary>Who may open which page, over HTTP as a browser asks for it.</summary>
[Collection(AppHostCollection.Name)]
public sealed class PageAccessTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    /// <summary>The lowest role for each page; a page missing here fails the test below, so new pages get a decision.</summary>
    private static readonly Dictionary<string, string?> Required = new()
    {
        ["/"] = LynqRoles.Viewer,
        ["/datasets"] = LynqRoles.Viewer,
        ["/runs"] = LynqRoles.Viewer,
        ["/models"] = LynqRoles.Viewer,
        ["/models/{Number:int}"] = LynqRoles.Viewer,
        ["/models/compare"] = LynqRoles.Viewer,
        ["/score"] = LynqRoles.Viewer,
        ["/promotions"] = LynqRoles.Viewer,
        ["/policy"] = LynqRoles.Viewer,
        ["/decisions"] = LynqRoles.Viewer,
        ["/monitoring"] = LynqRoles.Viewer,
        ["/schedules"] = LynqRoles.Viewer,
        ["/admin/users"] = LynqRoles.Admin,
        ["/admin/api-keys"] = LynqRoles.Admin,
        ["/account/login"] = null,
        ["/account/change-password"] = "signed in",
        ["/account/access-denied"] = "signed in",
    };

    public static TheoryData<string> Pages() => [.. Routes()];

    public static TheoryData<string, string> PagesByRole() =>
        [.. Routes().Where(r => Required.GetValueOrDefault(r) is LynqRoles.Viewer or LynqRoles.Admin).SelectMany(r => LynqRoles.All.Select(role => (r, role)))];

    [Fact]
    public void EveryRoutablePage_HasAnAccessDecisionInThisTest() =>
        Assert.DoesNotContain(Routes(), r => !Required.ContainsKey(r));

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Anonymous_GetsTheSignInPage(string route)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(Concrete(route), TestContext.Current.CancellationToken);

        if (Required[route] is null)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/login?ReturnUrl=", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(PagesByRole))]
    public async Task EachRole_OpensExactlyThePagesItsRoleAllows(string route, string role)
    {
        using var client = await factory.SignedInClientAsync(role);

        using var response = await client.GetAsync(Concrete(route), TestContext.Current.CancellationToken);

        if (LynqRoles.Includes(role, Required[route]!))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(LynqRoles.Viewer, HttpStatusCode.Forbidden)]
    [InlineData(LynqRoles.Trainer, HttpStatusCode.Forbidden)]
    [InlineData(LynqRoles.Approver, HttpStatusCode.Forbidden)]
    [InlineData(LynqRoles.Admin, HttpStatusCode.OK)]
    public async Task HangfireDashboard_IsForAdminsOnly(string? role, HttpStatusCode expected)
    {
        using var client = role is null ? factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }) : await factory.SignedInClientAsync(role);

        using var response = await client.GetAsync("/jobs", TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task OpenEndpoints_StayOpen_AndDownloadsNeedSignIn()
    {
        using var anonymous = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/model/info", TestContext.Current.CancellationToken)).StatusCode); // needs an API key, not a sign-in
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/app.css", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/downloads/models/1/model.zip", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/dashboard/antiforgery", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task EveryResponse_CarriesTheSecurityHeaders()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        foreach (var path in new[] { "/account/login", "/health", "/models", "/app.css" })
        {
            using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        }
    }

    [Fact]
    public async Task OutsideDevelopment_HttpsResponsesCarryHsts() // (HSTS is never sent for localhost)
    {
        await using var production = new DashboardFactory();
        using var configured = production.WithWebHostBuilder(builder => builder.UseEnvironment("Production"));
        using var https = configured.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://dashboard.lynq.example"), AllowAutoRedirect = false });

        using var response = await https.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Contains("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    private static IEnumerable<string> Routes() => typeof(Program).Assembly.GetTypes()
        .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => r.Template))
        .Distinct()
        .Order(StringComparer.Ordinal);

    private static string Concrete(string route) => route.Replace("{Number:int}", "1", StringComparison.Ordinal);
}

using System.Net;
using System.Security.Claims;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Registry;
using LynqDashboard.Infrastructure.Registry;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Web.Security;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Tests.Security;

/// <summary>Sign-out ends the session on the server: a copy of the cookie stops working, and so does an open tab.</summary>
[Collection(AppHostCollection.Name)]
public sealed class SessionTests
{
    private const string Trainer = "trainer@lynq.test";

    [Fact]
    public async Task CookieSavedBeforeSignOut_IsRefusedAfterIt_OnPagesAndTheApi_WhileTheOtherBrowserStaysSignedIn()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var factory = new DashboardFactory();
        await factory.EnsureUserAsync(Trainer, LynqRoles.Trainer);
        using var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var otherBrowser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var saved = await SignInAsync(browser, Trainer);
        await SignInAsync(otherBrowser, Trainer);
        using var replay = Replaying(factory, saved);
        Assert.Equal(HttpStatusCode.OK, (await replay.GetAsync("/models", cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await replay.GetAsync("/api/dashboard/versions", cancel)).StatusCode);

        var page = await browser.GetStringAsync("/models", cancel);
        using var signOut = await browser.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = FormSignIn.Token(page) }), cancel);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        // The very next request with the copied cookie, well inside the one-minute security-stamp interval.
        using var pageAfter = await replay.GetAsync("/models", cancel);
        Assert.Equal(HttpStatusCode.Redirect, pageAfter.StatusCode);
        Assert.StartsWith("/account/login", pageAfter.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/dashboard/versions", cancel)).StatusCode);

        // Signing out of one browser is not signing out of all of them.
        Assert.Equal(HttpStatusCode.OK, (await otherBrowser.GetAsync("/models", cancel)).StatusCode);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<RegistryDbContext>>().CreateDbContextAsync(cancel);
        var sessions = await db.UserSessions.AsNoTracking().ToListAsync(cancel);
        Assert.Single(sessions, s => s.EndReason == "signout");
        Assert.Single(sessions, s => s.EndedAt is null && s.UserId == sessions.Single(e => e.EndReason == "signout").UserId);
    }

    [Fact]
    public async Task AdminLock_EndsEverySessionOfThatPerson_AtTheNextRequest()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var factory = new DashboardFactory();
        await factory.EnsureUserAsync(Trainer, LynqRoles.Trainer);
        using var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await SignInAsync(browser, Trainer);
        await using var scope = factory.Services.CreateAsyncScope();
        CircuitUser.SignIn(scope.ServiceProvider, DashboardFactory.AdminEmail, LynqRoles.Admin);
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<Infrastructure.Identity.LynqUser>>().FindByEmailAsync(Trainer);

        await scope.ServiceProvider.GetRequiredService<AdminActions>().LockAsync(user!.Id);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/models", cancel)).StatusCode);
    }

    [Fact]
    public async Task Session_SurvivesTheSecurityStampRecheck_ThatReissuesTheCookie()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var factory = new DashboardFactory();
        using var app = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        using var browser = await DashboardFactory.SignedInClientAsync(app, LynqRoles.Viewer);

        // Each request more than a minute after the cookie was issued rebuilds its principal from the database and
        // reissues the cookie; the session id has to come along, or the request after would be refused.
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(2));
            using var response = await browser.GetAsync("/models", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task OpenTab_EndsWhenItsSessionRunsOut_ThoughNoRequestRefreshesTheCookie()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var factory = new DashboardFactory { Settings = { ["Lynq:Auth:SessionHours"] = "1", ["Lynq:Auth:RevalidateSeconds"] = "1" } };
        using var app = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var principal = Unprotect(app.Services, await SignInAsync(browser, DashboardFactory.AdminEmail)); // the derived host is a host of its own: use the Admin it made
        await using var tab = await OpenTabAsync(app.Services, principal);

        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
        Assert.True(await tab.IsSignedInAsync(), "the tab ended while its session was still live");

        clock.Advance(TimeSpan.FromMinutes(61)); // no request in between: only the tab's own re-check can notice
        Assert.True(await tab.EndsWithinAsync(TimeSpan.FromSeconds(10)), "the tab outlived its session");
    }

    [Fact]
    public async Task OpenTab_EndsWhenItsSessionIsSignedOutInAnotherTab()
    {
        await using var factory = new DashboardFactory { Settings = { ["Lynq:Auth:RevalidateSeconds"] = "1" } };
        await factory.EnsureUserAsync(Trainer, LynqRoles.Trainer);
        using var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var principal = Unprotect(factory.Services, await SignInAsync(browser, Trainer));
        await using var tab = await OpenTabAsync(factory.Services, principal);
        Assert.True(await tab.IsSignedInAsync());

        var page = await browser.GetStringAsync("/models", TestContext.Current.CancellationToken);
        using var signOut = await browser.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = FormSignIn.Token(page) }), TestContext.Current.CancellationToken);

        Assert.True(await tab.EndsWithinAsync(TimeSpan.FromSeconds(10)), "the tab stayed signed in after sign-out");
    }

    // Signs in through the form and returns the sign-in cookie's value, as a thief would copy it.
    private static async Task<string> SignInAsync(HttpClient client, string email)
    {
        using var response = await FormSignIn.PostAsync(client, email, DashboardFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("lynq.auth=", StringComparison.Ordinal));
        return cookie["lynq.auth=".Length..cookie.IndexOf(';', StringComparison.Ordinal)];
    }

    private static HttpClient Replaying(WebApplicationFactory<Program> app, string cookie)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", $"lynq.auth={cookie}");
        return client;
    }

    // The principal a circuit starts with: the one inside the cookie.
    private static ClaimsPrincipal Unprotect(IServiceProvider services, string cookie)
    {
        var options = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var ticket = options.TicketDataFormat.Unprotect(cookie) ?? throw new InvalidOperationException("The cookie did not unprotect.");
        Assert.NotNull(SignInSessions.IdOf(ticket.Principal));
        return ticket.Principal;
    }

    private static async Task<OpenTab> OpenTabAsync(IServiceProvider services, ClaimsPrincipal user)
    {
        var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        ((IHostEnvironmentAuthenticationStateProvider)provider).SetAuthenticationState(Task.FromResult(new AuthenticationState(user)));
        return new OpenTab(scope, provider);
    }

    /// <summary>A circuit's authentication state, as the revalidating provider keeps it.</summary>
    private sealed class OpenTab(AsyncServiceScope scope, AuthenticationStateProvider provider) : IAsyncDisposable
    {
        public async Task<bool> IsSignedInAsync() => (await provider.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated == true;

        public async Task<bool> EndsWithinAsync(TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                if (!await IsSignedInAsync())
                {
                    return true;
                }

                await Task.Delay(100);
            }

            return false;
        }

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }
}

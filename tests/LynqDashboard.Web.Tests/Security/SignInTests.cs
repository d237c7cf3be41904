using System.Net;
using System.Net.Http.Json;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Registry;
using LynqDashboard.Infrastructure.Identity;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Web.Security;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Security;

/// <summary>Signing in, failing to, being locked out, changing a one-time password, signing out, and forged requests.</summary>
[Collection(AppHostCollection.Name)]
public sealed class SignInTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount_EvenTheRightPasswordIsRefused_UntilAnAdminUnlocks()
    {
        const string email = "locked.out@lynq.test";
        await factory.EnsureUserAsync(email, LynqRoles.Viewer);
        using var client = NewClient();

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await FormSignIn.PostAsync(client, email, "Not-The-Password-1");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode); // the form again, with a message
        }

        using var right = await FormSignIn.PostAsync(client, email, DashboardFactory.Password);
        var page = await right.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("This account is locked after 5 wrong passwords", page, StringComparison.Ordinal);
        var audit = await factory.Services.GetRequiredService<IAuditLog>().ListAsync(0, 200);
        // The fifth wrong password is the one that locks; the right one after it is refused as locked too.
        Assert.Equal(4, audit.Count(a => a.Action == "signin.failed" && a.Subject == email));
        Assert.Equal(2, audit.Count(a => a.Action == "signin.locked_out" && a.Subject == email));
        Assert.DoesNotContain(audit, a => a.Detail.Contains("Not-The-Password-1", StringComparison.Ordinal));

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<LynqUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            await users.SetLockoutEndDateAsync(user, null);
        }

        using var again = await FormSignIn.PostAsync(client, email, DashboardFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
    }

    [Fact]
    public async Task WrongPassword_SaysSoWithoutTellingWhetherTheAccountExists()
    {
        using var client = NewClient();

        var unknown = await (await FormSignIn.PostAsync(client, "nobody@lynq.test", "Whatever-Password-1")).Content.ReadAsStringAsync();
        var wrong = await (await FormSignIn.PostAsync(client, DashboardFactory.AdminEmail, "Whatever-Password-1")).Content.ReadAsStringAsync();

        Assert.Contains("Wrong e-mail or password.", unknown, StringComparison.Ordinal);
        Assert.Contains("Wrong e-mail or password.", wrong, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormsWithoutTheAntiforgeryToken_AreRejected()
    {
        using var client = NewClient();

        using var login = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["Input.Email"] = DashboardFactory.AdminEmail, ["Input.Password"] = DashboardFactory.Password,
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);

        using var signedIn = await factory.SignedInClientAsync(LynqRoles.Viewer);
        using var logout = await signedIn.PostAsync("/account/logout", new FormUrlEncodedContent([]), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/models", TestContext.Current.CancellationToken)).StatusCode); // still signed in
    }

    [Fact]
    public async Task DashboardApi_NeedsTheToken_AndRefusesAViewerWithForbidden()
    {
        using var viewer = await factory.SignedInClientAsync(LynqRoles.Viewer);

        var approve = $"/api/dashboard/promotion-requests/{Guid.NewGuid()}/approve";
        using var forged = await viewer.PostAsJsonAsync(approve, new { comment = "ok" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("anti-forgery", await forged.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        var token = (await viewer.GetFromJsonAsync<DashboardApiEndpoints.AntiforgeryTokenResponse>("/api/dashboard/antiforgery", TestContext.Current.CancellationToken))!;
        using var request = new HttpRequestMessage(HttpMethod.Post, approve) { Content = JsonContent.Create(new { comment = "ok" }) };
        request.Headers.Add(token.Header, token.Token);
        using var refused = await viewer.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("needs the Approver role", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Contains((await factory.Services.GetRequiredService<IAuditLog>().ListAsync(0, 50)), a => a.Action == "access.denied" && a.Actor == "viewer@lynq.test" && a.Subject == "approve a promotion");
    }

    [Fact]
    public async Task DashboardApi_AsApprover_PassesTheRoleCheck_AndGetsTheDomainAnswer()
    {
        using var approver = await factory.SignedInClientAsync(LynqRoles.Approver);
        var token = (await approver.GetFromJsonAsync<DashboardApiEndpoints.AntiforgeryTokenResponse>("/api/dashboard/antiforgery", TestContext.Current.CancellationToken))!;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/dashboard/promotion-requests/{Guid.NewGuid()}/approve") { Content = JsonContent.Create(new { comment = "ok" }) };
        request.Headers.Add(token.Header, token.Token);

        using var response = await approver.SendAsync(request, TestContext.Current.CancellationToken);

        // No such request: the answer is about the request, not about the role.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("That promotion request is not on record.", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneTimePassword_SendsEveryPageToChangePassword_UntilChanged()
    {
        const string email = "new.trainer@lynq.test";
        string oneTime;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<LynqUser>>();
            oneTime = OneTimePassword.Create();
            var user = new LynqUser { UserName = email, Email = email, EmailConfirmed = true, MustChangePassword = true };
            await users.CreateAsync(user, oneTime);
            await users.AddToRoleAsync(user, LynqRoles.Trainer);
        }

        using var client = NewClient();
        await FormSignIn.SignInAsync(client, email, oneTime);

        using var models = await client.GetAsync("/models", TestContext.Current.CancellationToken);
        Assert.Equal("/account/change-password", models.Headers.Location?.OriginalString);
        var form = await client.GetStringAsync("/account/change-password", TestContext.Current.CancellationToken);
        Assert.Contains("You signed in with a one-time password", form, StringComparison.Ordinal);

        using var weak = await PostChangeAsync(client, form, oneTime, "short");
        Assert.Contains("Passwords must be at least 12 characters", await weak.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var changed = await PostChangeAsync(client, form, oneTime, "A-Much-Better-Password-7");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/models", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Contains((await factory.Services.GetRequiredService<IAuditLog>().ListAsync(0, 50)), a => a.Action == "user.password_changed" && a.Actor == email);
    }

    [Fact]
    public async Task SignOut_EndsTheSession_AndIsAudited()
    {
        using var client = await factory.SignedInClientAsync(LynqRoles.Trainer);
        var page = await client.GetStringAsync("/models", TestContext.Current.CancellationToken);

        using var signOut = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = FormSignIn.Token(page) }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using var after = await client.GetAsync("/models", TestContext.Current.CancellationToken);
        Assert.StartsWith("/account/login", after.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Contains((await factory.Services.GetRequiredService<IAuditLog>().ListAsync(0, 50)), a => a.Action == "signout" && a.Actor == "trainer@lynq.test");
    }

    private HttpClient NewClient() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private static Task<HttpResponseMessage> PostChangeAsync(HttpClient client, string form, string current, string next) =>
        client.PostAsync("/account/change-password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "change-password", ["__RequestVerificationToken"] = FormSignIn.Token(form),
            ["Input.Current"] = current, ["Input.New"] = next, ["Input.Confirm"] = next,
        }));
}

/// <summary>A session ends after Lynq:Auth:SessionHours without use.</summary>
[Collection(AppHostCollection.Name)]
public sealed class SessionExpiryTests
{
    [Fact]
    public async Task Session_UnusedLongerThanSessionHours_IsOver()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var factory = new DashboardFactory { Settings = { ["Lynq:Auth:SessionHours"] = "1" } };
        using var app = factory.WithWebHostBuilder(builder => Microsoft.AspNetCore.TestHost.WebHostBuilderExtensions.ConfigureTestServices(builder, services =>
            services.AddSingleton<TimeProvider>(clock)));
        using var client = await DashboardFactory.SignedInClientAsync(app, LynqRoles.Viewer);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/models", TestContext.Current.CancellationToken)).StatusCode);

        clock.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/models", TestContext.Current.CancellationToken)).StatusCode);

        clock.Advance(TimeSpan.FromMinutes(61)); // more than an hour since the last use
        using var expired = await client.GetAsync("/models", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.StartsWith("/account/login", expired.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}

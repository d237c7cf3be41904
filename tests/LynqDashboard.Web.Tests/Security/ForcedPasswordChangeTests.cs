using System.Net;
using System.Net.Http.Json;
using LynqDashboard.Core.Access;
using LynqDashboard.Infrastructure.Identity;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Web.Security;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Security;

/// <summary>Until a one-time password is changed, the account opens the change-password page and nothing else.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ForcedPasswordChangeTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    [Fact]
    public async Task OneTimePassword_RefusesApiCalls_WithWords_AndSendsDownloadsAndTheJobDashboardToTheChangePage()
    {
        var cancel = TestContext.Current.CancellationToken;
        const string email = "one.time.admin@lynq.test";
        var oneTime = OneTimePassword.Create();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<LynqUser>>();
            var user = new LynqUser { UserName = email, Email = email, EmailConfirmed = true, MustChangePassword = true };
            await users.CreateAsync(user, oneTime);
            await users.AddToRoleAsync(user, LynqRoles.Admin);
        }

        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await FormSignIn.SignInAsync(client, email, oneTime);
        var changePage = await client.GetStringAsync(AccountEndpoints.ChangePasswordPath, cancel);

        // An API POST with a good anti-forgery token is refused for the password, in words.
        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/dashboard/runs") { Content = JsonContent.Create(new { dataset = new { rows = 1000, seed = 1 } }) };
        post.Headers.Add(DashboardApiEndpoints.TokenHeader, FormSignIn.Token(changePage));
        using var refused = await client.SendAsync(post, cancel);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = await refused.Content.ReadAsStringAsync(cancel);
        Assert.Contains("A password change is due", problem, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/dashboard/versions", cancel)).StatusCode);

        // Downloads (which end in a file extension) and the job dashboard lead to the change page, not to a file.
        foreach (var path in new[] { "/downloads/models/1/model.zip", $"/downloads/datasets/{Guid.NewGuid()}", "/downloads/scored/abc", "/jobs", "/admin/users" })
        {
            using var response = await client.GetAsync(path, cancel);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(AccountEndpoints.ChangePasswordPath, response.Headers.Location?.OriginalString);
        }

        // What needs no sign-in stays open.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health", cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/app.css", cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/_content/MudBlazor/MudBlazor.min.css", cancel)).StatusCode);

        // Once changed, the same calls go through.
        const string chosen = "A-New-Admin-Password-8";
        using (var changed = await client.PostAsync(AccountEndpoints.ChangePasswordPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "change-password", ["__RequestVerificationToken"] = FormSignIn.Token(changePage),
            ["Input.Current"] = oneTime, ["Input.New"] = chosen, ["Input.Confirm"] = chosen,
        }), cancel))
        {
            Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/dashboard/versions", cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/jobs", cancel)).StatusCode);
    }

    [Fact]
    public async Task OneTimePassword_SignOutStillWorks()
    {
        const string email = "one.time.viewer@lynq.test";
        var oneTime = OneTimePassword.Create();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<LynqUser>>();
            var user = new LynqUser { UserName = email, Email = email, EmailConfirmed = true, MustChangePassword = true };
            await users.CreateAsync(user, oneTime);
            await users.AddToRoleAsync(user, LynqRoles.Viewer);
        }

        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await FormSignIn.SignInAsync(client, email, oneTime);
        var page = await client.GetStringAsync(AccountEndpoints.ChangePasswordPath, TestContext.Current.CancellationToken);

        using var signOut = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = FormSignIn.Token(page) }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/account/login", signOut.Headers.Location?.OriginalString);
        using var after = await client.GetAsync(AccountEndpoints.ChangePasswordPath, TestContext.Current.CancellationToken);
        Assert.StartsWith("/account/login", after.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}

using System.Net;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Web.Security;

namespace LynqDashboard.Web.Tests.Security;

/// <summary>The first start of the real app process without LYNQ_ADMIN_EMAIL / LYNQ_ADMIN_PASSWORD.</summary>
public sealed class FirstRunTests
{
    [Fact]
    public async Task FirstStart_PrintsOneOneTimePasswordOnce_ThatOnlyLeadsToChangingIt()
    {
        var data = Path.Combine(Path.GetTempPath(), "lynq-first-run", Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string> { ["LYNQ_ADMIN_EMAIL"] = string.Empty, ["LYNQ_ADMIN_PASSWORD"] = string.Empty };
        try
        {
            string password;
            await using (var app = await BuiltWebApp.StartAsync(data, environment))
            {
                var printed = app.Output.Where(l => l.Contains("one-time password:", StringComparison.Ordinal)).ToList();
                password = Assert.Single(printed).Split(':', 2)[1].Trim();
                Assert.Equal(20, password.Length);
                Assert.Contains(app.Output, l => l.Contains($"e-mail:             {IdentityStartup.DefaultAdminEmail}", StringComparison.Ordinal));
                Assert.Equal(1, app.Output.Count(l => l.Contains(password, StringComparison.Ordinal)));

                var jar = new CookieContainer();
                using var client = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
                await FormSignIn.SignInAsync(client, IdentityStartup.DefaultAdminEmail, password);
                using var overview = await client.GetAsync("/");
                Assert.Equal("/account/change-password", overview.Headers.Location?.OriginalString);
            }

            await using (var again = await BuiltWebApp.StartAsync(data, environment))
            {
                Assert.DoesNotContain(again.Output, l => l.Contains("one-time password", StringComparison.Ordinal));
            }
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }
}

using System.Diagnostics;
using System.Net;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Registry;
using LynqDashboard.Infrastructure.Identity;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Web.Security;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Security;

/// <summary>Failed sign-ins slowed per address and per account, over real HTTP from real client addresses.</summary>
[Collection(AppHostCollection.Name)]
public sealed class SignInThrottleTests(ITestOutputHelper output)
{
    private const string Wrong = "Wrong e-mail or password.";
    private const string Locked = "This account is locked after";

    [Fact]
    public async Task FailedSignIns_FromOneAddress_MakeItWait_BeforeAnyPasswordIsChecked_OtherAddressesSignIn_AndTheWaitEnds()
    {
        var cancel = TestContext.Current.CancellationToken;
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var settings = new Dictionary<string, string> { ["Lynq:Auth:SignInFailuresPerAddress"] = "5", ["Lynq:Auth:SignInWindowMinutes"] = "15" };
        await using var app = KestrelApp.Start(new DashboardFactory { Settings = settings }, services => services.AddSingleton<TimeProvider>(clock));
        using var guesser = app.Client("127.0.0.2");
        using var colleague = app.Client("127.0.0.3");

        for (var i = 1; i <= 4; i++)
        {
            using var failed = await FormSignIn.PostAsync(guesser, $"guess{i}@lynq.test", "Guess-Password-1");
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
            Assert.Contains(Wrong, await failed.Content.ReadAsStringAsync(cancel), StringComparison.Ordinal);
        }

        using var fifth = await FormSignIn.PostAsync(guesser, "guess5@lynq.test", "Guess-Password-1");
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
        Assert.InRange(int.Parse(fifth.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 14 * 60, 15 * 60);
        Assert.Contains("Too many failed sign-ins came from your network address. Try again in 15 minutes.", await fifth.Content.ReadAsStringAsync(cancel), StringComparison.Ordinal);

        // Even the right password is not looked at from that address now; from another address it works.
        using var refused = await FormSignIn.PostAsync(guesser, DashboardFactory.AdminEmail, DashboardFactory.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var audit = app.Services.GetRequiredService<IAuditLog>();
        Assert.DoesNotContain(await audit.ListAsync(0, 100), a => a.Action == "signin.succeeded");
        using (var fromColleague = await FormSignIn.PostAsync(colleague, DashboardFactory.AdminEmail, DashboardFactory.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, fromColleague.StatusCode);
        }

        Assert.Single(await audit.ListAsync(0, 100), a => a.Action == "signin.throttled" && a.Detail.Contains("127.0.0.2", StringComparison.Ordinal));
        Assert.Contains("lynq_auth_throttled_total{kind=\"sign_in_address\"} 1", await colleague.GetStringAsync("/metrics", cancel), StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromMinutes(16));
        using var later = await FormSignIn.PostAsync(guesser, DashboardFactory.AdminEmail, DashboardFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, later.StatusCode);
    }

    [Fact]
    public async Task MadeUpAndRealAccounts_AnswerAlike_WrongThenLocked_WithTheSameWords()
    {
        await using var factory = new DashboardFactory { Settings = { ["Lynq:Auth:MaxFailedAttempts"] = "3", ["Lynq:Auth:SignInFailuresPerAddress"] = "1000" } };
        await using var app = KestrelApp.Start(factory);
        await factory.EnsureUserAsync("real@lynq.test", LynqRoles.Viewer);

        var real = await AnswersAsync(app.Client("127.0.0.2"), "real@lynq.test", DashboardFactory.Password);
        var madeUp = await AnswersAsync(app.Client("127.0.0.3"), "made.up@lynq.test", DashboardFactory.Password);

        Assert.Equal([Wrong, Wrong, Locked, Locked], real);
        Assert.Equal(real, madeUp);
        var audit = await app.Services.GetRequiredService<IAuditLog>().ListAsync(0, 100);
        string[] Actions(string email) => [.. audit.Where(a => a.Subject == email).OrderBy(a => a.Id).Select(a => a.Action)];
        Assert.Equal(Actions("real@lynq.test"), Actions("made.up@lynq.test"));
        using var metrics = app.Client();
        Assert.Contains("lynq_auth_throttled_total{kind=\"sign_in_account\"} 4", await metrics.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPassword_ForARealAndAMadeUpAccount_TakesAboutAsLong()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var factory = new DashboardFactory { Settings = { ["Lynq:Auth:MaxFailedAttempts"] = "20", ["Lynq:Auth:SignInFailuresPerAddress"] = "10000" } };
        await using var app = KestrelApp.Start(factory);
        await factory.EnsureUserAsync("timed@lynq.test", LynqRoles.Viewer);
        using var client = app.Client("127.0.0.2");
        var real = new List<double>();
        var madeUp = new List<double>();

        for (var i = 0; i < 10; i++)
        {
            real.Add(await TimeFailureAsync(client, "timed@lynq.test", cancel));
            madeUp.Add(await TimeFailureAsync(client, "nobody.timed@lynq.test", cancel));
        }

        // The first of each warms up (JIT, the dummy hash); medians of the rest.
        var (realMedian, madeUpMedian) = (Median(real.Skip(1)), Median(madeUp.Skip(1)));
        output.WriteLine($"median POST /account/login: real account {realMedian:F1} ms, made-up account {madeUpMedian:F1} ms");
        Assert.InRange(realMedian / madeUpMedian, 1 / 3.0, 3.0);
    }

    [Fact]
    public async Task AStrangersWrongPasswords_LockTheAccount_ButNotForTheBrowserItsOwnerSignsInWith()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var factory = new DashboardFactory { Settings = { ["Lynq:Auth:SignInFailuresPerAddress"] = "1000" } };
        await using var app = KestrelApp.Start(factory);
        await factory.EnsureUserAsync("owner@lynq.test", LynqRoles.Trainer);
        using var owners = app.Client("127.0.0.2");
        using var stranger = app.Client("127.0.0.3");
        using var newBrowser = app.Client("127.0.0.4");
        await FormSignIn.SignInAsync(owners, "owner@lynq.test", DashboardFactory.Password);
        await SignOutAsync(owners);

        var strangers = await AnswersAsync(stranger, "owner@lynq.test", "Not-The-Password-1", attempts: 5);
        Assert.Equal(Locked, strangers[^1]);

        // The lock holds for everyone else, even with the right password ...
        Assert.Equal(new[] { Locked }, await AnswersAsync(stranger, "owner@lynq.test", DashboardFactory.Password, attempts: 1, rightAt: 0));
        Assert.Equal(new[] { Locked }, await AnswersAsync(newBrowser, "owner@lynq.test", DashboardFactory.Password, attempts: 1, rightAt: 0));

        // ... but the owner's browser gets in.
        using (var back = await FormSignIn.PostAsync(owners, "owner@lynq.test", DashboardFactory.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await owners.GetAsync("/models", cancel)).StatusCode);

        // That browser's own wrong passwords use up its trust: then it is locked out like the others.
        await SignOutAsync(owners);
        var ownGuesses = await AnswersAsync(owners, "owner@lynq.test", "Not-The-Password-2", attempts: 5);
        Assert.All(ownGuesses, a => Assert.Equal(Wrong, a));
        Assert.Equal(new[] { Locked }, await AnswersAsync(owners, "owner@lynq.test", DashboardFactory.Password, attempts: 1, rightAt: 0));
    }

    [Fact]
    public async Task AnAdminsLock_KeepsOutEvenTheTrustedBrowser()
    {
        await using var factory = new DashboardFactory();
        await using var app = KestrelApp.Start(factory);
        await factory.EnsureUserAsync("leaver@lynq.test", LynqRoles.Trainer);
        using var browser = app.Client("127.0.0.2");
        await FormSignIn.SignInAsync(browser, "leaver@lynq.test", DashboardFactory.Password);
        await SignOutAsync(browser);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            CircuitUser.SignIn(scope.ServiceProvider, DashboardFactory.AdminEmail, LynqRoles.Admin);
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<LynqUser>>().FindByEmailAsync("leaver@lynq.test");
            await scope.ServiceProvider.GetRequiredService<AdminActions>().LockAsync(user!.Id);
        }

        Assert.Equal(new[] { Locked }, await AnswersAsync(browser, "leaver@lynq.test", DashboardFactory.Password, attempts: 1, rightAt: 0));
    }

    // What the sign-in form says to each attempt: wrong passwords, then (at rightAt) the right one.
    private static async Task<string[]> AnswersAsync(HttpClient client, string email, string password, int attempts = 4, int rightAt = 3)
    {
        var answers = new List<string>();
        for (var i = 0; i < attempts; i++)
        {
            using var response = await FormSignIn.PostAsync(client, email, i == rightAt ? password : "Not-The-Password-9");
            var page = await response.Content.ReadAsStringAsync();
            answers.Add(response.StatusCode == HttpStatusCode.Redirect ? "signed in" : page.Contains(Locked, StringComparison.Ordinal) ? Locked : page.Contains(Wrong, StringComparison.Ordinal) ? Wrong : $"{(int)response.StatusCode}");
        }

        return [.. answers];
    }

    private static async Task<double> TimeFailureAsync(HttpClient client, string email, CancellationToken cancel)
    {
        var form = await client.GetStringAsync("/account/login", cancel);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = FormSignIn.Token(form), ["Input.Email"] = email, ["Input.Password"] = "Not-The-Password-3",
        });
        var started = Stopwatch.GetTimestamp();
        using var response = await client.PostAsync("/account/login", content, cancel);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Assert.Contains(Wrong, await response.Content.ReadAsStringAsync(cancel), StringComparison.Ordinal);
        return elapsed;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task SignOutAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/models");
        using var signOut = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = FormSignIn.Token(page) }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
    }
}

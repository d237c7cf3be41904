using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using LynqDashboard.Core.Access;
using LynqDashboard.Infrastructure.Identity;
using LynqDashboard.Tests.Shared;
using Microsoft.AspNetCore.Identity;

namespace LynqDashboard.Browser.Tests;

/// <summary>The dashboard on a real Kestrel port with a fresh data folder, and a headless Debian Chromium pointed at it.</summary>
public sealed class DashboardHost : IAsyncLifetime
{
    /// <summary>Debian's chromium binary (the /usr/bin wrapper prints a shell warning); test.sh installs it.</summary>
    public const string ChromiumPath = "/usr/lib/chromium/chromium";

    public const string Password = "Browser-Test-2026";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "lynq-browser-tests", Guid.NewGuid().ToString("N"));
    private WebApplicationFactory<Program>? _factory;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = string.Empty;

    public IBrowser Browser { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    /// <summary>Screenshots go to the test output folder, as artifacts of the run.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder
            .UseSetting("Lynq:DataDirectory", _data)
            .UseSetting("Lynq:Auth:AdminEmail", "admin@lynq.test")
            .UseSetting("Lynq:Auth:AdminPassword", Password)
            .UseSetting("Lynq:Workers", "1"));
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        BaseUrl = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>A new page at <paramref name="path"/>, signed in with <paramref name="role"/>, once the circuit runs it (the layout marks itself interactive).</summary>
    public async Task<IPage> OpenAsync(string path, int width = 1280, int height = 800, string role = LynqRoles.Admin)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        await context.AddCookiesAsync(await SignInCookiesAsync(role));
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl.TrimEnd('/') + path);
        await page.Locator("[data-interactive=true]").WaitForAsync();
        return page;
    }

    /// <summary>Signs in through the real form over HTTP (an account with the role is made if needed) and returns the cookies for a browser.</summary>
    private async Task<IEnumerable<Microsoft.Playwright.Cookie>> SignInCookiesAsync(string role)
    {
        var email = $"{role.ToLowerInvariant()}@lynq.test";
        using (var scope = Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<LynqUser>>();
            if (await users.FindByEmailAsync(email) is null)
            {
                var user = new LynqUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
                await users.CreateAsync(user, Password);
                await users.AddToRoleAsync(user, role);
            }
        }

        var jar = new System.Net.CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };
        await FormSignIn.SignInAsync(client, email, Password);
        return jar.GetAllCookies().Select(c => new Microsoft.Playwright.Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = SameSiteAttribute.Lax });
    }

    /// <summary>How many model versions the registry holds.</summary>
    public async Task<int> CountVersionsAsync() =>
        (await Services.GetRequiredService<LynqDashboard.Core.Registry.IModelRegistry>().QueryVersionsAsync(new LynqDashboard.Core.Registry.VersionQuery())).TotalCount;

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}

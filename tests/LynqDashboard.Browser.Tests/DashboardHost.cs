using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LynqDashboard.Browser.Tests;

/// <summary>The dashboard on a real Kestrel port with a fresh data folder, and a headless Debian Chromium pointed at it.</summary>
public sealed class DashboardHost : IAsyncLifetime
{
    /// <summary>Debian's chromium binary (the /usr/bin wrapper prints a shell warning); test.sh installs it.</summary>
    public const string ChromiumPath = "/usr/lib/chromium/chromium";

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

    /// <summary>A new page at <paramref name="path"/> once the circuit runs it (the layout marks itself interactive).</summary>
    public async Task<IPage> OpenAsync(string path, int width = 1280, int height = 800)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        await page.GotoAsync(BaseUrl.TrimEnd('/') + path);
        await page.Locator("[data-interactive=true]").WaitForAsync();
        return page;
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

using Amazon.S3;
using LynqDashboard.Core.Access;
using LynqDashboard.Tests.Shared;
using Microsoft.Playwright;

namespace LynqDashboard.Browser.Tests;

/// <summary>
/// What the journeys run against: the published app as a real process on 127.0.0.1 with a fresh data folder, the
/// local S3 server with a bucket for promotions, a known Admin, and headless Debian Chromium. The Admin makes each
/// role's account on the Users page; each person changes the one-time password at the first sign-in.
/// </summary>
public sealed class JourneyHost : IAsyncLifetime
{
    /// <summary>Debian's chromium binary (the /usr/bin wrapper prints a shell warning); test.sh installs it.</summary>
    public const string ChromiumPath = "/usr/lib/chromium/chromium";

    public const string AdminEmail = "admin@lynq.test";
    public const string AdminPassword = "Journey-Admin-2026";

    private readonly S3ServerFixture _s3 = new();
    private FaultyS3Proxy? _network;
    private readonly Dictionary<string, string> _storage = []; // role → signed-in browser state (cookies)
    private readonly SemaphoreSlim _accounts = new(1, 1);
    private readonly string _data = Path.Combine(Path.GetTempPath(), "lynq-journeys", Guid.NewGuid().ToString("N"));
    private IPlaywright? _playwright;

    public BuiltWebApp App { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string Bucket { get; } = $"journeys-{Guid.NewGuid():N}"[..28];

    public IAmazonS3 S3 { get; private set; } = null!;

    /// <summary>Screenshots of every journey step, at 1280×800 and 390×844: artifacts of the test run.</summary>
    public static string ShotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "journeys");

    public static string PasswordOf(string role) => role == LynqRoles.Admin ? AdminPassword : $"Journey-{role}-2026";

    public static string EmailOf(string role) => role == LynqRoles.Admin ? AdminEmail : $"{role.ToLowerInvariant()}@lynq.test";

    public async ValueTask InitializeAsync()
    {
        await _s3.InitializeAsync();
        S3 = _s3.CreateClient();
        await S3.PutBucketAsync(Bucket);

        // Uploads cross a 256 KB/s link, as to a real bucket over a network: on loopback a model upload ends inside one
        // redraw and the upload stage could never be seen.
        _network = await FaultyS3Proxy.StartAsync(_s3.ServiceUrl);
        _network.Inject(new S3Fault.Slow("PUT", "credit_model_v", 256 * 1024));
        App = await BuiltWebApp.StartAsync(_data, new Dictionary<string, string>
        {
            ["LYNQ_ADMIN_EMAIL"] = AdminEmail, ["LYNQ_ADMIN_PASSWORD"] = AdminPassword,
            ["LYNQ_PROMOTION_BUCKET"] = Bucket, ["Lynq__Promotion__ServiceUrl"] = _network.Url, ["Lynq__Promotion__ForcePathStyle"] = "true",
            ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test",
            // Small journey models (10,000 rows) are calibrated on 1,500 rows: their calibration error is noisier than production's.
            ["Lynq__Promotion__Gates__MaxCalibrationError"] = "0.1",
            // Two journey models drawn from different 10,000-row samples differ in AUC by about ±0.01: the journey promotes
            // the second after the first, so the champion–challenger gate allows that noise (its own tests use real margins).
            ["Lynq__Governance__MaxAucDrop"] = "0.05",
        }, dll: await PublishedApp.DllAsync());
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchAsync(_playwright);
        Directory.CreateDirectory(ShotFolder);
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = ChromiumPath,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });

    /// <summary>A page signed in as someone holding <paramref name="role"/>, at <paramref name="path"/>, once the circuit runs it.</summary>
    /// <param name="timeZone">The browser's IANA time zone (default the machine's).</param>
    /// <param name="bypassCsp">Lets a test inject a script file (axe-core); the app's own pages never need it.</param>
    public async Task<IPage> OpenAsync(string role, string path, int width = 1280, int height = 800, string? timeZone = null, bool bypassCsp = false)
    {
        var state = await SignedInStateAsync(role);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height }, StorageState = state, TimezoneId = timeZone, BypassCSP = bypassCsp,
        });
        var page = await context.NewPageAsync();
        await GoAsync(page, path);
        return page;
    }

    /// <summary>Goes to <paramref name="path"/> and waits until the circuit runs the page (prerendered HTML is replaced then).</summary>
    public async Task GoAsync(IPage page, string path)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(App.BaseUrl + path);
        await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
    }

    /// <summary>
    /// Picks <paramref name="number"/> as the Score page's scoring model: until a version is approved for production the
    /// page scores with the rule-based fallback, and another journey may or may not have approved one.
    /// </summary>
    public static async Task ChooseScoringModelAsync(IPage page, int number)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GetByTestId("model-select").ClickAsync();
        await page.Locator(".mud-popover-open").GetByText($"v{number} (", new LocatorGetByTextOptions { Exact = false }).First.ClickAsync();
        await page.GetByTestId("result").GetByText($"v{number}", new LocatorGetByTextOptions { Exact = false }).First.WaitForAsync();
    }

    /// <summary>Saves the page at desktop size, then at phone size (asserting nothing overflows the screen), and restores it.</summary>
    public static async Task ShotAsync(IPage page, string name)
    {
        var size = page.ViewportSize!;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ShotFolder, $"{name}-1280.png"), FullPage = true });
        await page.SetViewportSizeAsync(390, 844);
        await page.WaitForTimeoutAsync(250);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ShotFolder, $"{name}-390.png"), FullPage = true });
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{name}: the page is {overflow} px wider than a 390 px phone screen");
        await page.SetViewportSizeAsync(size.Width, size.Height);

        // Back at desktop width the menu drawer slides in again and the page beside it moves: let it settle, or the
        // journey's next click can land where a button was a moment ago.
        await page.WaitForTimeoutAsync(300);
    }

    /// <summary>What the visible notices (snackbars) lie over: every button, link or field whose box meets a notice's box.</summary>
    public static async Task<string[]> CoveredByNoticesAsync(IPage page) => await page.EvaluateAsync<string[]>("""
        () => {
            const notices = [...document.querySelectorAll('.mud-snackbar')].map(n => n.getBoundingClientRect());
            const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
            return [...document.querySelectorAll('button, a[href], input, textarea, [role=button]')]
                .filter(e => !e.closest('.mud-snackbar-provider, .mud-snackbar'))
                .map(e => ({ e, r: e.getBoundingClientRect() }))
                .filter(({ r }) => r.width > 0 && r.height > 0 && notices.some(n => meet(n, r)))
                .map(({ e }) => (e.innerText || e.getAttribute('aria-label') || e.outerHTML.slice(0, 80)).trim());
        }
        """);

    /// <summary>
    /// At least <paramref name="count"/> Ready versions, trained through the Datasets page as the Admin (10,000 rows each), so a
    /// journey does not depend on another having run first. Returns their numbers, oldest first.
    /// </summary>
    public async Task<IReadOnlyList<int>> EnsureReadyVersionsAsync(int count)
    {
        var page = await OpenAsync(LynqRoles.Admin, "/models");
        try
        {
            for (var ready = await ReadyNumbersAsync(page); ready.Count < count; ready = await ReadyNumbersAsync(page))
            {
                await GoAsync(page, "/datasets");
                var rows = page.GetByLabel("Rows");
                await rows.FillAsync("10000");
                await rows.PressAsync("Tab");
                await page.GetByLabel("Seed").FillAsync((100 + ready.Count).ToString(System.Globalization.CultureInfo.InvariantCulture));
                await page.GetByTestId("generate-and-train").ClickAsync();
                await page.WaitForURLAsync("**/models/*");
                await page.GetByTestId("metric-roc_auc").WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
                await GoAsync(page, "/models");
            }

            return [.. (await ReadyNumbersAsync(page)).Order()];
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        S3?.Dispose();
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }

        await _s3.DisposeAsync();
        _accounts.Dispose();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private static async Task<List<int>> ReadyNumbersAsync(IPage page)
    {
        await page.WaitForTimeoutAsync(300);
        var rows = await page.Locator("[data-testid=models-grid] tbody tr").AllInnerTextsAsync();
        return [.. rows.Where(r => r.Contains("Ready", StringComparison.Ordinal) || r.Contains("Production", StringComparison.Ordinal) || r.Contains("Archived", StringComparison.Ordinal))
            .Select(r => System.Text.RegularExpressions.Regex.Match(r, @"\bv(\d+)\b")).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
    }

    // The Admin signs in with the configured password; everyone else gets an account from the Admin on the Users
    // page and replaces its one-time password at the first sign-in, as a newcomer would.
    private async Task<string> SignedInStateAsync(string role)
    {
        await _accounts.WaitAsync();
        try
        {
            if (_storage.TryGetValue(role, out var known))
            {
                return known;
            }

            var password = PasswordOf(role);
            if (role != LynqRoles.Admin)
            {
                var admin = await NewPageAsync(await SignedInStateUnlockedAsync(LynqRoles.Admin));
                await GoAsync(admin, "/admin/users");
                await admin.Locator("input[data-testid=new-user-email], [data-testid=new-user-email] input").First.FillAsync(EmailOf(role));
                await admin.GetByTestId("new-user-role").ClickAsync();
                await admin.Locator(".mud-popover-open").GetByText(role, new LocatorGetByTextOptions { Exact = true }).ClickAsync();
                await admin.GetByTestId("add-user").ClickAsync();
                var oneTime = (await admin.GetByTestId("one-time-password").Locator("code").TextContentAsync())!.Trim();
                await admin.Context.CloseAsync();

                var first = await NewPageAsync(null);
                await SignInAsync(first, EmailOf(role), oneTime);
                await first.WaitForURLAsync("**/account/change-password");
                await first.GetByTestId("current-password").FillAsync(oneTime);
                await first.GetByTestId("new-password").FillAsync(password);
                await first.GetByTestId("confirm-password").FillAsync(password);
                await first.GetByTestId("change-submit").ClickAsync();
                await first.Locator("[data-interactive=true]").WaitForAsync();
                return _storage[role] = await first.Context.StorageStateAsync();
            }

            return await SignedInStateUnlockedAsync(role);
        }
        finally
        {
            _accounts.Release();
        }
    }

    private async Task<string> SignedInStateUnlockedAsync(string role)
    {
        if (_storage.TryGetValue(role, out var known))
        {
            return known;
        }

        var page = await NewPageAsync(null);
        await SignInAsync(page, EmailOf(role), PasswordOf(role));
        await page.Locator("[data-interactive=true]").WaitForAsync();
        var state = await page.Context.StorageStateAsync();
        await page.Context.CloseAsync();
        return _storage[role] = state;
    }

    private async Task<IPage> NewPageAsync(string? state) =>
        await (await Browser.NewContextAsync(new BrowserNewContextOptions { StorageState = state, ViewportSize = new ViewportSize { Width = 1280, Height = 800 } })).NewPageAsync();

    private async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync(App.BaseUrl + "/account/login");
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        if (page.Url.Contains("/account/login", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Signing in as {email} failed: {await page.GetByTestId("login-error").TextContentAsync()}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class JourneyCollection : ICollectionFixture<JourneyHost>
{
    public const string Name = "journeys";
}

using System.Diagnostics;
using System.Text.RegularExpressions;
using LynqDashboard.Tests.Shared;
using Microsoft.Playwright;

namespace LynqDashboard.Browser.Tests;

/// <summary>
/// The front door as a newcomer meets it: the README's run command, exactly as written (a `dotnet run` child process from
/// the repository root, environment variables only for the port and the data folder), in headless Chromium. A published
/// app or a /health call would not catch a page served without its CSS and scripts; this does.
/// </summary>
[Collection(FrontDoorCollection.Name)]
public sealed partial class FrontDoorTests(ITestOutputHelper output)
{
    public const string NewPassword = "Front-Door-2026-ok";

    public static TheoryData<string, string[]> Commands => new()
    {
        // README, word for word: builds Debug first, as on a fresh clone.
        { "readme", [] },
        // The same command on the Release build the test run already made (nothing rebuilt under running tests).
        { "release", ["-c", "Release", "--no-build"] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task ReadmeRunCommand_ServesAStyledInteractiveDashboard_ANewcomerCanSignInto(string name, string[] extraArguments)
    {
        var clock = Stopwatch.StartNew();
        var data = Path.Combine(Path.GetTempPath(), "lynq-front-door", Guid.NewGuid().ToString("N"));
        try
        {
            await using var app = await BuiltWebApp.StartLikeTheReadmeAsync(data, extraArguments, TimeSpan.FromMinutes(8));
            output.WriteLine($"{name}: healthy after {app.StartupSeconds:F1} s");
            Assert.True(File.Exists(Path.Combine(data, "registry.db")), "the registry should be in LYNQ_DATA_DIR");
            var oneTime = await OneTimePasswordAsync(app);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await JourneyHost.LaunchAsync(playwright);
            var page = await (await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } })).NewPageAsync();
            await page.GotoAsync(app.BaseUrl + "/account/login");

            // Every stylesheet and script the sign-in page references answers with a body.
            var assets = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('link[rel=stylesheet][href], script[src]')].map(e => e.href || e.src)
                """);
            Assert.Contains(assets, a => a.Contains("blazor.web", StringComparison.Ordinal));
            Assert.Contains(assets, a => a.Contains("MudBlazor.min.css", StringComparison.Ordinal));
            foreach (var asset in assets)
            {
                var response = await page.APIRequest.GetAsync(asset);
                var body = await response.BodyAsync();
                output.WriteLine($"{name}: {response.Status} {body.Length,8:N0} B  {asset}");
                Assert.Equal(200, response.Status);
                Assert.True(body.Length > 0, $"{asset} answered 200 with an empty body");
            }

            // Styled: MudBlazor's CSS is applied (an unstyled page keeps the browser's default Times and a plain button).
            var font = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).fontFamily");
            Assert.Contains("Roboto", font, StringComparison.Ordinal);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot($"front-door-{name}-01-sign-in.png") });

            // The newcomer signs in with the one-time password the console printed, and must choose a new one.
            await page.GetByTestId("login-email").FillAsync("admin@lynq.local");
            await page.GetByTestId("login-password").FillAsync(oneTime);
            await page.GetByTestId("login-submit").ClickAsync();
            await page.WaitForURLAsync("**/account/change-password");
            await page.GetByTestId("current-password").FillAsync(oneTime);
            await page.GetByTestId("new-password").FillAsync(NewPassword);
            await page.GetByTestId("confirm-password").FillAsync(NewPassword);
            await page.GetByTestId("change-submit").ClickAsync();

            // The Blazor circuit connects: the page marks itself interactive, and a control answers a click.
            await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
            const string Background = "getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').trim()";
            var before = await page.EvaluateAsync<string>($"() => {Background}");
            var toggle = page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Switch theme" });
            await toggle.ClickAsync();
            await page.WaitForFunctionAsync($"before => {Background} !== before", before);
            await toggle.ClickAsync();
            await page.WaitForFunctionAsync($"before => {Background} === before", before);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot($"front-door-{name}-02-overview.png"), FullPage = true });
            Assert.Equal("Overview · LynqDashboard", await page.TitleAsync());
            output.WriteLine($"{name}: whole front door in {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private static string Shot(string file)
    {
        Directory.CreateDirectory(JourneyHost.ShotFolder);
        return Path.Combine(JourneyHost.ShotFolder, file);
    }

    // The first start prints the Admin's one-time password once, to the console: read it as a newcomer would.
    private static async Task<string> OneTimePasswordAsync(BuiltWebApp app)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (app.Output.Select(l => OneTimeLine().Match(l)).FirstOrDefault(m => m.Success) is { } match)
            {
                return match.Groups[1].Value;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("The console showed no one-time password:" + Environment.NewLine + string.Join(Environment.NewLine, app.Output.TakeLast(30)));
    }

    [GeneratedRegex(@"one-time password:\s+(\S+)")]
    private static partial Regex OneTimeLine();
}

[CollectionDefinition(Name)]
public sealed class FrontDoorCollection
{
    public const string Name = "front door";
}

using System.Diagnostics;
using System.Text.Json;
using LynqDashboard.Core.Access;
using LynqDashboard.Tests.Shared;
using Microsoft.Playwright;

namespace LynqDashboard.Browser.Tests.Journeys;

/// <summary>
/// What the journeys reveal beyond them: every page checked by axe-core (labels, names, ARIA, colour contrast) in the
/// light and the dark theme, keyboard reach of the actions, and how fast the Overview paints in a cold browser.
/// </summary>
[Collection(JourneyCollection.Name)]
public sealed class AccessibilityTests(JourneyHost host, ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly string Axe = Path.Combine(BuiltWebApp.Root(), "tests", "browser-tools", "node_modules", "axe-core", "axe.min.js");

    public static TheoryData<string, bool> PagesAndThemes() =>
        [.. new[] { "/", "/datasets", "/runs", "/models", "/models/1", "/score", "/promotions", "/admin/users", "/admin/api-keys" }.SelectMany(p => new[] { (p, false), (p, true) })];

    [Theory]
    [MemberData(nameof(PagesAndThemes))]
    public async Task Page_HasNoAccessibilityViolations(string path, bool dark)
    {
        Assert.True(File.Exists(Axe), $"axe-core is not installed: run ./test.sh (or npm ci in tests/browser-tools). Missing {Axe}");
        await host.EnsureReadyVersionsAsync(1);
        var page = await host.OpenAsync(LynqRoles.Admin, path, bypassCsp: true);
        if (dark)
        {
            await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Switch theme" }).ClickAsync();
        }

        await page.WaitForTimeoutAsync(500); // charts and popovers settle
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = Axe });
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }))
                .violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\n').slice(1, 2).join(' ')) }))
            """);
        await page.Context.CloseAsync();

        Assert.True(violations.GetArrayLength() == 0, $"{path} ({(dark ? "dark" : "light")}): {JsonSerializer.Serialize(violations, Indented)}");
    }

    [Theory]
    [InlineData("/datasets", LynqRoles.Trainer, new[] { "generate", "generate-and-train" })]
    [InlineData("/promotions", LynqRoles.Approver, new[] { "promote" })]
    [InlineData("/score", LynqRoles.Viewer, new[] { "field-wallet_age_days", "field-reputation_score" })]
    public async Task Keyboard_ReachesEveryActionWithTab(string path, string role, string[] testIds)
    {
        await host.EnsureReadyVersionsAsync(1);
        var page = await host.OpenAsync(role, path);
        var reached = new HashSet<string>();
        for (var i = 0; i < 120 && !testIds.All(reached.Contains); i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<string?>("() => document.activeElement?.closest('[data-testid]')?.dataset.testid ?? document.activeElement?.dataset.testid") is { } id)
            {
                reached.Add(id);
            }
        }

        await page.Context.CloseAsync();
        Assert.All(testIds, id => Assert.Contains(id, reached));
    }

    [Fact]
    public async Task Overview_FirstPaintInAColdBrowser_IsMeasured()
    {
        // A browser process of its own, nothing cached: the first visit of the morning.
        using var playwright = await Playwright.CreateAsync();
        await using var cold = await JourneyHost.LaunchAsync(playwright);
        var warm = await host.OpenAsync(LynqRoles.Viewer, "/");
        var state = await warm.Context.StorageStateAsync();
        await warm.Context.CloseAsync();
        var context = await cold.NewContextAsync(new BrowserNewContextOptions { StorageState = state });
        var page = await context.NewPageAsync();

        var clock = Stopwatch.StartNew();
        await page.GotoAsync(host.App.BaseUrl + "/");
        await page.GetByText("Overview", new PageGetByTextOptions { Exact = true }).First.WaitForAsync();
        var visible = clock.Elapsed.TotalMilliseconds;
        var fcp = await page.EvaluateAsync<double>("() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1");
        await page.Locator("[data-interactive=true]").WaitForAsync();
        var interactive = clock.Elapsed.TotalMilliseconds;

        output.WriteLine($"Overview in a cold browser: first contentful paint {fcp:F0} ms, heading visible {visible:F0} ms, interactive {interactive:F0} ms");
        await File.WriteAllTextAsync(Path.Combine(JourneyHost.ShotFolder, "overview-first-paint.txt"), $"fcp_ms={fcp:F0}\nvisible_ms={visible:F0}\ninteractive_ms={interactive:F0}\n");
        Assert.True(fcp > 0, "the browser reported no first contentful paint");
    }
}

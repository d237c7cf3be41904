using System.Text.Json;
using System.Text.RegularExpressions;
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
        [.. new[] { "/", "/datasets", "/runs", "/models", "/models/1", "/score", "/policy", "/promotions", "/schedules", "/decisions", "/monitoring", "/admin/users", "/admin/api-keys" }.SelectMany(p => new[] { (p, false), (p, true) })];

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
    [InlineData("/promotions", LynqRoles.Approver, new[] { "promote-version", "request-comment" })]
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
    public async Task Overview_InAColdBrowser_PaintsItsHeadingAndFiguresFirst_WithinTwiceTheSignInForm()
    {
        // The baseline is the same app's lightest page, the sign-in form: the same document, stylesheets and scripts,
        // but no circuit and no registry reads. Each visit is a browser process of its own with nothing cached (the
        // first visit of the morning); the pages take turns so a busy machine slows both, and the middle of three counts.
        var viewer = await host.OpenAsync(LynqRoles.Viewer, "/");
        var state = await viewer.Context.StorageStateAsync();
        await viewer.Context.CloseAsync();
        var signIn = new List<ColdPaint>();
        var overview = new List<ColdPaint>();
        for (var i = 0; i < 3; i++)
        {
            signIn.Add(await ColdPaintAsync("/account/login", null, SignInPainted, []));
            overview.Add(await ColdPaintAsync("/", state, OverviewPainted, OverviewElements));
        }

        var baseline = Middle(signIn);
        var first = Middle(overview);
        var budget = BudgetTimesSignIn * baseline.Painted;
        output.WriteLine($"Cold browser, ms from navigation (content painted / first contentful paint / elements painted): sign-in {string.Join(", ", signIn)}; Overview {string.Join(", ", overview)}");
        output.WriteLine($"Overview heading and figures painted at {first.Painted:F0} ms, interactive at {first.Interactive:F0} ms; budget {budget:F0} ms ({BudgetTimesSignIn} × the sign-in form's {baseline.Painted:F0} ms)");
        await File.WriteAllTextAsync(Path.Combine(JourneyHost.ShotFolder, "overview-first-paint.txt"),
            $"sign_in_ms={baseline.Painted:F0}\nfcp_ms={first.FirstPaint:F0}\nvisible_ms={first.Painted:F0}\ninteractive_ms={first.Interactive:F0}\nbudget_ms={budget:F0}\n");

        // What a person sees first is the page itself, not a blank page or skeletons that the circuit fills in later:
        // the server's document already holds the heading and the four figures with their values, and the browser
        // paints them (its own Element Timing stamp) before the circuit takes the page over. The first contentful paint
        // itself may be the app bar alone: on a busy machine Chromium's parser yields and paints the top of the
        // document a frame or two before the rest (measured here: 0–48 ms), which is why that is reported, not judged.
        Assert.All(overview, o => Assert.True(o.ServerSent, "the server's document lacks the Overview heading or one of its four figures"));
        Assert.All(overview, o => Assert.True(o.ElementsPainted < o.Interactive,
            $"the heading and figures were painted at {o.ElementsPainted:F0} ms, after the circuit took over at {o.Interactive:F0} ms"));
        Assert.True(first.Painted <= budget,
            $"the Overview's heading and figures took {first.Painted:F0} ms, more than {BudgetTimesSignIn} × the sign-in form's {baseline.Painted:F0} ms");
    }

    // Measured here: the Overview paints within 0.9–1.4 × the sign-in form (a few registry reads more); twice leaves room for a busy machine.
    private const double BudgetTimesSignIn = 2;

    // The elements marked elementtiming on the Overview: its heading and the four figures.
    private static readonly string[] OverviewElements = ["overview-heading", "metric-datasets", "metric-versions", "metric-active", "metric-best_auc"];

    // Checked once per animation frame: true when what a person looks at first has a box and text.
    private const string SignInPainted = """
        () => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].some(h => h.textContent.trim() === 'Sign in' && h.getBoundingClientRect().height > 0)
            && document.querySelector('[data-testid=login-submit]')?.getBoundingClientRect().height > 0
        """;

    private const string OverviewPainted = """
        () => [...document.querySelectorAll('.mud-main-content h1,.mud-main-content h2,.mud-main-content h3,.mud-main-content h4')]
                .some(h => h.textContent.trim() === 'Overview' && h.getBoundingClientRect().height > 0)
            && ['datasets', 'versions', 'active', 'best_auc'].every(key => {
                const figure = document.querySelector(`[data-testid=metric-${key}]`);
                return figure && figure.getBoundingClientRect().height > 0 && figure.textContent.trim().length > 0;
            })
        """;

    private static ColdPaint Middle(List<ColdPaint> runs) => runs.OrderBy(r => r.Painted).ElementAt(runs.Count / 2);

    /// <summary>
    /// Opens <paramref name="path"/> in a browser process of its own and reports, in milliseconds from navigation start,
    /// the first frame in which <paramref name="painted"/> held, the first contentful paint, the latest paint the
    /// browser stamped on the <paramref name="elements"/> (Element Timing) and, for a page with elements to watch (one
    /// with a circuit), when the circuit took it over.
    /// </summary>
    private async Task<ColdPaint> ColdPaintAsync(string path, string? state, string painted, string[] elements)
    {
        var circuit = elements.Length > 0;
        using var playwright = await Playwright.CreateAsync();
        await using var cold = await JourneyHost.LaunchAsync(playwright);
        var context = await cold.NewContextAsync(new BrowserNewContextOptions { StorageState = state, ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        await context.AddInitScriptAsync($$"""
            (() => {
                const painted = {{painted}};
                const check = () => document.body && painted() ? window.__paintedAt = performance.now() : requestAnimationFrame(check);
                requestAnimationFrame(check);
                window.__elements = {};
                new PerformanceObserver(list => list.getEntries().forEach(e => window.__elements[e.identifier] ??= e.renderTime || e.loadTime))
                    .observe({ type: 'element', buffered: true });
            })();
            """);
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(host.App.BaseUrl + path);
        var document = response is null ? "" : await response.TextAsync();
        var ids = JsonSerializer.Serialize(elements);
        await page.WaitForFunctionAsync($"() => window.__paintedAt !== undefined && performance.getEntriesByName('first-contentful-paint').length > 0 && {ids}.every(id => window.__elements[id] !== undefined)", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        var interactive = circuit ? await page.EvaluateAsync<double>("""
            async () => { while (!document.querySelector('[data-interactive=true]')) { await new Promise(r => setTimeout(r, 10)); } return performance.now(); }
            """) : 0;
        var result = new ColdPaint(
            await page.EvaluateAsync<double>("() => window.__paintedAt"),
            await page.EvaluateAsync<double>("() => performance.getEntriesByName('first-contentful-paint')[0].startTime"),
            await page.EvaluateAsync<double>($"() => Math.max(0, ...{ids}.map(id => window.__elements[id]))"),
            interactive,
            elements.All(id => Regex.IsMatch(document, $"""elementtiming="{id}"[^>]*>\s*[^<\s]""")));
        await context.CloseAsync();
        return result;
    }

    private sealed record ColdPaint(double Painted, double FirstPaint, double ElementsPainted, double Interactive, bool ServerSent)
    {
        public override string ToString() => ElementsPainted > 0 ? $"{Painted:F0}/{FirstPaint:F0}/{ElementsPainted:F0}" : $"{Painted:F0}/{FirstPaint:F0}";
    }
}

using System.Diagnostics;
using LynqDashboard.Core.Access;
using Microsoft.Playwright;

namespace LynqDashboard.Browser.Tests.Journeys;

/// <summary>Journey 1, training management, as a Trainer in a real browser against the real app process.</summary>
[Collection(JourneyCollection.Name)]
public sealed class TrainingJourney(JourneyHost host, ITestOutputHelper output)
{
    [Fact]
    public async Task Trainer_GeneratesAndTrains50kRows_WatchesItToTheEnd_ExploresTheVersion_AndCancelsASecondTraining()
    {
        var clock = Stopwatch.StartNew();
        var page = await host.OpenAsync(LynqRoles.Trainer, "/datasets");
        await JourneyHost.ShotAsync(page, "j1-01-datasets");

        var rows = page.GetByLabel("Rows");
        await rows.FillAsync("50000");
        await rows.PressAsync("Tab");
        await page.GetByTestId("generate-and-train").ClickAsync();
        await page.WaitForURLAsync("**/models/*");
        var number = int.Parse(page.Url.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);

        // Every percentage the bar shows, however briefly, and how late each progress report reaches the page.
        await page.EvaluateAsync("""
            () => { window.__percents = []; window.__latencies = []; let last = 0;
                new MutationObserver(() => document.querySelectorAll('[data-testid=run-progress]').forEach(e => {
                    window.__percents.push(parseFloat(e.dataset.percent));
                    const reported = parseInt(e.dataset.reportedAt || '0');
                    if (reported > last) { last = reported; window.__latencies.push(Date.now() - reported); }
                })).observe(document.body, { subtree: true, childList: true, attributes: true }); }
            """);
        await page.GetByTestId("run-progress").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });

        // The dataset's "ready" notice comes while Cancel is wanted most: it must cover no button, link or field.
        await page.Locator(".mud-snackbar").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        Assert.Empty(await JourneyHost.CoveredByNoticesAsync(page));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(JourneyHost.ShotFolder, "j1-02-notice-1280.png") });

        // The page opened by "Generate and train" (the version still Queued then) follows the run: the chip turns
        // Running once training starts, and the elapsed time counts while the bar moves.
        await page.Locator("[data-testid=version-status]", new PageLocatorOptions { HasTextString = "Running" }).WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        var timing = await page.GetByTestId("run-timing").TextContentAsync();
        Assert.DoesNotContain("elapsed –", timing, StringComparison.Ordinal);
        var elapsed = int.Parse((await page.GetByTestId("run-progress").GetAttributeAsync("data-elapsed-seconds"))!, System.Globalization.CultureInfo.InvariantCulture);
        await page.WaitForFunctionAsync(
            "(s) => parseInt(document.querySelector('[data-testid=run-progress]')?.dataset.elapsedSeconds ?? '-1') > s || document.querySelector('[data-testid=run-completed]')",
            elapsed, new PageWaitForFunctionOptions { Timeout = 10_000 });
        await JourneyHost.ShotAsync(page, "j1-02-training");
        await page.GetByTestId("metric-roc_auc").WaitForAsync(new LocatorWaitForOptions { Timeout = 180_000 });

        var percents = await page.EvaluateAsync<double[]>("() => window.__percents");
        Assert.Contains(percents, p => p > 10 && p < 100);
        Assert.True(percents.Zip(percents.Skip(1)).All(pair => pair.Second >= pair.First), $"progress went backwards: {string.Join(", ", percents)}");
        Assert.Equal("100", await page.GetByTestId("run-completed").GetByTestId("run-progress").GetAttributeAsync("data-percent"));
        var latencies = (await page.EvaluateAsync<double[]>("() => window.__latencies")).Order().ToArray();
        output.WriteLine($"progress report → browser DOM: {latencies.Length} updates, median {latencies[latencies.Length / 2]:F0} ms, p95 {latencies[(int)(latencies.Length * 0.95)]:F0} ms, max {latencies[^1]:F0} ms");

        // Open the version from the registry, as someone coming back later would.
        await host.GoAsync(page, "/models");
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = $"v{number}", Exact = true }).ClickAsync();
        await page.GetByTestId("metric-roc_auc").WaitForAsync();
        Assert.Contains("50,000 rows", await page.GetByTestId("version-facts").TextContentAsync(), StringComparison.Ordinal);
        Assert.Matches(@"^0\.\d{4}$", (await page.GetByTestId("metric-roc_auc").TextContentAsync())!.Trim());
        foreach (var chart in new[] { "chart-roc", "chart-pr", "chart-calibration", "chart-importance" })
        {
            Assert.True(await page.GetByTestId(chart).Locator("svg path").CountAsync() > 2, $"{chart} drew no data");
        }

        await JourneyHost.ShotAsync(page, "j1-03-version");

        // The threshold slider moves the confusion matrix.
        var before = (await page.GetByTestId("cm-tp").TextContentAsync(), await page.GetByTestId("cm-fp").TextContentAsync());
        var slider = page.GetByTestId("threshold-panel").Locator("input[type=range]");
        await slider.FocusAsync();
        for (var i = 0; i < 15; i++)
        {
            await page.Keyboard.PressAsync("ArrowLeft");
        }

        await page.WaitForFunctionAsync("([tp, fp]) => document.querySelector('[data-testid=cm-tp]').textContent !== tp || document.querySelector('[data-testid=cm-fp]').textContent !== fp", new[] { before.Item1, before.Item2 });
        Assert.NotEqual("0.50", await page.GetByTestId("threshold-value").TextContentAsync());
        await JourneyHost.ShotAsync(page, "j1-04-threshold");

        // A second, long training on the same data, cancelled midway.
        await host.GoAsync(page, "/runs");
        var trees = page.GetByLabel("Trees");
        await trees.FillAsync("4000");
        await trees.PressAsync("Tab");
        await page.GetByTestId("train").ClickAsync();
        var row = page.GetByTestId("runs-table").Locator("tbody tr").Filter(new LocatorFilterOptions { Has = page.GetByTestId("run-progress") }).First;
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('[data-testid=runs-table] [data-testid=run-progress]')].some(e => parseFloat(e.dataset.percent) >= 10)", null, new PageWaitForFunctionOptions { Timeout = 120_000 });
        await JourneyHost.ShotAsync(page, "j1-05-second-training");
        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Cancel" }).ClickAsync();

        await page.GetByTestId("runs-table").Locator("tbody tr").First.GetByText("Cancelled", new LocatorGetByTextOptions { Exact = true }).WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await JourneyHost.ShotAsync(page, "j1-06-cancelled");
        output.WriteLine($"journey 1 took {clock.Elapsed.TotalSeconds:F1} s");
        await page.Context.CloseAsync();
    }
}

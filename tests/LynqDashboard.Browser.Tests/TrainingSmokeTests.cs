using Microsoft.Playwright;

namespace LynqDashboard.Browser.Tests;

public sealed class TrainingSmokeTests(DashboardHost host, ITestOutputHelper output) : IClassFixture<DashboardHost>
{
    [Fact]
    public async Task GenerateAndTrain_FromTheDatasetsPage_ProgressAdvancesToAReadyVersionWithCharts()
    {
        var page = await host.OpenAsync("/datasets");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardHost.ScreenshotFolder, "01-datasets-empty.png"), FullPage = true });

        var rows = page.GetByLabel("Rows");
        await rows.FillAsync("20000");
        await rows.PressAsync("Tab");

        await page.GetByTestId("generate-and-train").ClickAsync();
        await page.WaitForURLAsync("**/models/1");

        // Record every percentage the progress bar shows, however briefly.
        await page.EvaluateAsync("""
            () => { window.__percents = []; window.__latencies = []; let last = 0;
                new MutationObserver(() => document.querySelectorAll('[data-testid=run-progress]').forEach(e => {
                    window.__percents.push(parseFloat(e.dataset.percent));
                    const reported = parseInt(e.dataset.reportedAt || '0');
                    if (reported > last) { last = reported; window.__latencies.push(Date.now() - reported); }
                })).observe(document.body, { subtree: true, childList: true, attributes: true }); }
            """);
        await page.GetByTestId("run-progress").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardHost.ScreenshotFolder, "02-version-training.png"), FullPage = true });

        await page.GetByTestId("metric-roc_auc").WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
        var percents = await page.EvaluateAsync<double[]>("() => window.__percents");
        var latencies = (await page.EvaluateAsync<double[]>("() => window.__latencies")).Order().ToArray();
        Assert.NotEmpty(latencies);
        output.WriteLine($"progress report → browser DOM: {latencies.Length} updates, median {latencies[latencies.Length / 2]:F0} ms, p95 {latencies[(int)(latencies.Length * 0.95)]:F0} ms, max {latencies[^1]:F0} ms");
        await File.WriteAllTextAsync(Path.Combine(DashboardHost.ScreenshotFolder, "progress-latency-ms.txt"), string.Join('\n', latencies));
        Assert.Contains(percents, p => p > 10 && p < 100);
        Assert.True(percents.Zip(percents.Skip(1)).All(pair => pair.Second >= pair.First), $"progress went backwards: {string.Join(", ", percents)}");
        Assert.Equal(1, await host.CountVersionsAsync());
        Assert.Contains("20,000 rows", await page.GetByTestId("version-facts").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("Ready", await page.GetByText("Ready", new PageGetByTextOptions { Exact = true }).First.TextContentAsync(), StringComparison.Ordinal);
        Assert.Matches(@"^0\.\d{4}$", (await page.GetByTestId("metric-roc_auc").TextContentAsync())!.Trim());
        foreach (var chart in new[] { "chart-roc", "chart-pr", "chart-calibration", "chart-importance" })
        {
            Assert.True(await page.GetByTestId(chart).Locator("svg path").CountAsync() > 0, $"{chart} drew nothing");
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardHost.ScreenshotFolder, "03-version-ready.png"), FullPage = true });

        // The trained model now serves the scoring form: the example applicant, then less collateral.
        var score = await host.OpenAsync("/score");
        await score.GetByTestId("result").GetByText("v1").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        var before = await score.GetByTestId("result-pd").TextContentAsync();
        await score.GetByTestId("field-collateral_value_usd").FillAsync("1000");
        await score.GetByTestId("result-delta").WaitForAsync();
        Assert.NotEqual(before, await score.GetByTestId("result-pd").TextContentAsync());
        await score.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardHost.ScreenshotFolder, "08-score.png"), FullPage = true });

        // The same pages on a 390 px phone: nothing may push the page wider than the screen.
        foreach (var (path, name) in new[] { ("/models/1", "04-phone-version"), ("/models", "05-phone-models"), ("/datasets", "06-phone-datasets"), ("/", "07-phone-overview"), ("/score", "09-phone-score") })
        {
            var phone = await host.OpenAsync(path, 390, 844);
            await phone.WaitForTimeoutAsync(300);
            await phone.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardHost.ScreenshotFolder, $"{name}.png"), FullPage = true });
            var overflow = await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow} px wider than a 390 px screen");
            await phone.CloseAsync();
        }
    }
}

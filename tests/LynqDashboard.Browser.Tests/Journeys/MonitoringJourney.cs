using LynqDashboard.Core.Access;
using Microsoft.Playwright;

namespace LynqDashboard.Browser.Tests.Journeys;

/// <summary>
/// Journey 6, a simulated day in production: the Admin simulates traffic with outcomes on the Monitoring page, runs
/// monitoring, and reads the snapshot in charts; the decisions are on the Decisions page. Whichever model serves (a
/// version another journey approved, or the fallback), the page monitors it.
/// </summary>
[Collection(JourneyCollection.Name)]
public sealed class MonitoringJourney(JourneyHost host, ITestOutputHelper output)
{
    private const int Rows = 3000;

    [Fact]
    public async Task Admin_SimulatesADayWithOutcomes_RunsMonitoring_AndSeesTheSnapshotInCharts_AndTheDecisionsListed()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var page = await host.OpenAsync(LynqRoles.Admin, "/monitoring");
        var problems = new List<string>();
        page.PageError += (_, e) => problems.Add(e);

        await Number(page, "simulate-rows").FillAsync(Rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Number(page, "simulate-seed").FillAsync("61");
        await page.GetByTestId("simulate-run").ClickAsync();
        var summary = page.GetByTestId("simulate-summary").Filter(new LocatorFilterOptions { HasText = "finished" });
        await summary.WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
        Assert.Contains($"finished: {Rows:N0} decisions", await summary.TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains($"Outcomes: {Rows:N0} recorded, 0 unknown", await summary.TextContentAsync(), StringComparison.Ordinal);

        await page.GetByTestId("monitoring-run").ClickAsync();
        var decisions = page.GetByTestId("monitoring-decisions");
        await decisions.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        var counted = int.Parse((await decisions.TextContentAsync())!.Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(counted >= Rows, $"the snapshot counted {counted} decisions after {Rows} were simulated");

        // A simulated day: traffic in every hour of the last 24, a back-test of the outcomes, the mix by day.
        Assert.True(await page.Locator("[data-testid=traffic-chart] svg path.xy-line").CountAsync() > 0, "no traffic line");
        Assert.True(await page.Locator("[data-testid=backtest-table] tbody tr").CountAsync() >= 1, "no back-test vintage");
        Assert.True(await page.Locator("[data-testid=mix-chart] svg path").CountAsync() > 0, "no answer mix");
        Assert.True(await page.Locator("[data-testid=stability-table] tbody tr").CountAsync() >= 1, "no stability row");
        await JourneyHost.ShotAsync(page, "j6-01-monitoring-after-a-simulated-day");

        await host.GoAsync(page, "/decisions");
        await page.GetByTestId("decisions-table").WaitForAsync();
        Assert.Contains("simulator", await page.GetByTestId("decisions-table").TextContentAsync(), StringComparison.Ordinal);
        var total = long.Parse((await page.GetByTestId("decisions-total").GetAttributeAsync("data-total"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(total >= Rows, $"the ledger lists {total} decisions");
        await JourneyHost.ShotAsync(page, "j6-02-decisions");

        Assert.Empty(problems);
        output.WriteLine($"journey 6 (monitoring) took {clock.Elapsed.TotalSeconds:F1} s");
    }

    // MudBlazor puts a numeric field's data-testid on the input itself.
    private static ILocator Number(IPage page, string testId) => page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;
}

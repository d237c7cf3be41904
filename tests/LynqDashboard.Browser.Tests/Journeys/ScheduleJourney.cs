using LynqDashboard.Core.Access;
using Microsoft.Playwright;

namespace LynqDashboard.Browser.Tests.Journeys;

/// <summary>
/// Journey 7, retraining that never promotes by itself: a Trainer in Berlin makes a schedule (a bad cron is explained
/// before saving, the next runs are shown in Berlin time), pauses and resumes it, and runs it now; the run trains a
/// challenger and opens a promotion request, which the Trainer cannot approve; a second person with the Approver role
/// approves it, and only then does the challenger serve.
/// </summary>
[Collection(JourneyCollection.Name)]
public sealed class ScheduleJourney(JourneyHost host, ITestOutputHelper output)
{
    private const string Zone = "Europe/Berlin";

    [Fact]
    public async Task TrainerSchedules_RunNowOpensARequest_ThatOnlyASecondPersonApproves()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var name = $"journey nightly {Guid.NewGuid():N}"[..24];
        var trainer = await host.OpenAsync(LynqRoles.Trainer, "/schedules", timeZone: Zone);
        var problems = new List<string>();
        trainer.PageError += (_, e) => problems.Add(e);

        await trainer.GetByTestId("schedule-new").ClickAsync();
        await Input(trainer, "schedule-name").FillAsync(name);
        var cron = Input(trainer, "schedule-cron");
        await cron.FillAsync("0 25 * * *");
        await cron.PressAsync("Tab");
        var preview = trainer.GetByTestId("schedule-preview");
        await preview.Filter(new LocatorFilterOptions { HasText = "Cron:" }).WaitForAsync();
        Assert.Contains("hour field is 25", await preview.TextContentAsync(), StringComparison.Ordinal);
        await cron.FillAsync("0 3 * * *");
        await cron.PressAsync("Tab");
        await preview.Filter(new LocatorFilterOptions { HasText = "Next runs in your time" }).WaitForAsync();
        Assert.Contains($"({Zone})", await preview.TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains(" 03:00", await preview.TextContentAsync(), StringComparison.Ordinal);

        // Bigger than the journeys' other versions, so its AUC passes the comparison gate against whichever serves.
        var rows = Input(trainer, "schedule-rows");
        await rows.FillAsync("30000");
        await rows.PressAsync("Tab");
        await JourneyHost.ShotAsync(trainer, "j7-01-new-schedule");
        await trainer.GetByTestId("schedule-save").ClickAsync();
        var row = trainer.Locator($"tr:has([data-testid=schedule-row][data-name='{name}'])");
        await row.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        Assert.Equal("Active", (await row.GetByTestId("schedule-state").TextContentAsync())?.Trim());
        Assert.Contains("03:00", await row.GetByTestId("schedule-next").TextContentAsync(), StringComparison.Ordinal);

        await row.GetByTestId("schedule-pause").ClickAsync();
        await row.GetByTestId("schedule-state").Filter(new LocatorFilterOptions { HasText = "Paused" }).WaitForAsync();
        Assert.Equal("–", (await row.GetByTestId("schedule-next").TextContentAsync())?.Trim());
        await row.GetByTestId("schedule-resume").ClickAsync();
        await row.GetByTestId("schedule-state").Filter(new LocatorFilterOptions { HasText = "Active" }).WaitForAsync();

        // Run now: the history shows it going, then the request it opened.
        await row.GetByTestId("schedule-run").ClickAsync();
        var run = trainer.Locator("tr:has([data-testid=schedule-run-row])").Filter(new LocatorFilterOptions { HasText = name });
        await run.First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await JourneyHost.ShotAsync(trainer, "j7-02-running");
        var opened = trainer.Locator("[data-testid=schedule-run-row][data-outcome=RequestOpened]");
        await opened.WaitForAsync(new LocatorWaitForOptions { Timeout = 240_000 });
        var detail = await run.First.TextContentAsync() ?? string.Empty;
        Assert.Contains("manual by trainer@", detail, StringComparison.Ordinal);
        var challenger = int.Parse(await run.First.Locator("a[href^='/models/']").TextContentAsync() is { } label ? label.Trim().TrimStart('v') : "0", System.Globalization.CultureInfo.InvariantCulture);
        await JourneyHost.ShotAsync(trainer, "j7-03-request-opened");
        Assert.Empty(problems);

        // The run never promotes: the request waits, and the Trainer who owns the schedule is offered no approval.
        await host.GoAsync(trainer, "/promotions");
        var pending = trainer.Locator($"[data-testid=promotion-request][data-version='{challenger}'][data-status=Pending]");
        await pending.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        Assert.Contains($"Retraining schedule '{name}'", await pending.TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await pending.GetByTestId("approve").CountAsync());
        Assert.Equal(0, await trainer.GetByTestId("production-version").Filter(new LocatorFilterOptions { HasText = $"v{challenger}" }).CountAsync());
        await trainer.Context.CloseAsync();

        // A second person approves it; only now does the challenger serve.
        var approver = await host.OpenAsync(LynqRoles.Approver, "/promotions", timeZone: Zone);
        var request = approver.Locator($"[data-testid=promotion-request][data-version='{challenger}'][data-status=Pending]");
        await request.GetByTestId("decision-comment").FillAsync("read the scheduled challenger's comparison: approved");
        await JourneyHost.ShotAsync(approver, "j7-04-approver");
        await request.GetByTestId("approve").ClickAsync();
        await approver.Locator(".mud-dialog").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Approve and promote", Exact = true }).ClickAsync();
        await approver.GetByTestId("production-version").Filter(new LocatorFilterOptions { HasText = $"v{challenger}" }).WaitForAsync(new LocatorWaitForOptions { Timeout = 90_000 });
        await JourneyHost.ShotAsync(approver, "j7-05-approved");
        output.WriteLine($"journey 7 took {clock.Elapsed.TotalSeconds:F1} s");
        await approver.Context.CloseAsync();
    }

    // MudBlazor puts a field's data-testid on the input or on its wrapper, depending on the field.
    private static ILocator Input(IPage page, string testId) => page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;
}

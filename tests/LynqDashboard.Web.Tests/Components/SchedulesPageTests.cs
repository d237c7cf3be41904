using Bunit;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Retraining;
using LynqDashboard.Web.Components.Pages;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>The Schedules page over the real retraining store: what a Viewer reads, what a Trainer does, and the form.</summary>
public sealed class SchedulesPageTests : ComponentTest
{
    [Fact]
    public async Task Trainer_PausesResumesAndRunsNow_TheStoreAndTheSchedulerFollow()
    {
        SignInAs(LynqRoles.Trainer);
        var schedule = await Services.GetRequiredService<RetrainingSchedules>().CreateAsync(new ScheduleDraft("nightly", "0 2 * * *", "UTC", Rows: 5_000), "trainer@lynq.test");
        var cut = Render<Schedules>();
        cut.WaitForAssertion(() => Assert.Equal("Active", cut.Find("[data-testid=schedule-state]").TextContent.Trim()));
        Assert.Contains("fresh 5,000 rows from seed 1", cut.Find("[data-testid=schedules-table]").TextContent, StringComparison.Ordinal);
        Assert.Contains("02:00", cut.Find("[data-testid=schedule-next]").TextContent, StringComparison.Ordinal);

        cut.WaitForElement("[data-testid=schedule-pause]");

        await cut.InvokeAsync(() => cut.Find("[data-testid=schedule-pause]").Click());
        cut.WaitForAssertion(() => Assert.Equal("Paused", cut.Find("[data-testid=schedule-state]").TextContent.Trim()));
        Assert.True((await Services.GetRequiredService<IRetrainingStore>().GetScheduleAsync(schedule.Id))!.Paused);
        Assert.Equal("–", cut.Find("[data-testid=schedule-next]").TextContent.Trim());

        cut.WaitForElement("[data-testid=schedule-resume]");

        await cut.InvokeAsync(() => cut.Find("[data-testid=schedule-resume]").Click());
        cut.WaitForAssertion(() => Assert.Equal("Active", cut.Find("[data-testid=schedule-state]").TextContent.Trim()));
        cut.WaitForElement("[data-testid=schedule-run]");
        await cut.InvokeAsync(() => cut.Find("[data-testid=schedule-run]").Click());
        cut.WaitForAssertion(() => Assert.Single(RetrainingScheduler.Queued));
        var (id, trigger, _) = Assert.Single(RetrainingScheduler.Queued);
        Assert.Equal((schedule.Id, "manual by tester@lynq.test"), (id, trigger));
        Assert.False(RetrainingScheduler.Synced.Last().Paused);
    }

    [Fact]
    public async Task Viewer_ReadsSchedulesAndHistory_WithoutControls()
    {
        SignInAs(LynqRoles.Viewer);
        var schedule = await Services.GetRequiredService<RetrainingSchedules>().CreateAsync(new ScheduleDraft("weekly", "0 4 * * 1", "Europe/Berlin", Source: "newest_dataset"), "trainer@lynq.test");
        var store = Services.GetRequiredService<IRetrainingStore>();
        await store.AddRunAsync(new ScheduleRun { ScheduleId = schedule.Id, Trigger = "cron", StartedAt = DateTimeOffset.UtcNow.AddHours(-1), FinishedAt = DateTimeOffset.UtcNow, Outcome = ScheduleRunOutcome.Skipped, Detail = "run #1 is still going" });

        var cut = Render<Schedules>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=schedule-run-row]")));
        Assert.Equal("Skipped", cut.Find("[data-testid=run-outcome]").TextContent.Trim());
        Assert.Contains("run #1 is still going", cut.Find("[data-testid=runs-table]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=schedule-pause], [data-testid=schedule-run], [data-testid=schedule-new]"));
    }

    [Fact]
    public async Task Form_ABadCron_IsExplainedBeforeSaving_AndSavingIsRefusedNamingIt()
    {
        SignInAs(LynqRoles.Trainer);
        var cut = Render<Schedules>();
        cut.WaitForElement("[data-testid=schedules-empty]");
        cut.WaitForElement("[data-testid=schedule-new]");
        await cut.InvokeAsync(() => cut.Find("[data-testid=schedule-new]").Click());

        cut.Find("input[data-testid=schedule-cron], [data-testid=schedule-cron] input").Input("0 25 * * *");

        cut.WaitForAssertion(() => Assert.StartsWith("Cron:", cut.Find("[data-testid=schedule-preview]").TextContent.Trim(), StringComparison.Ordinal));
        cut.WaitForElement("[data-testid=schedule-save]");
        await cut.InvokeAsync(() => cut.Find("[data-testid=schedule-save]").Click());
        cut.WaitForAssertion(() => Assert.Contains("cron", Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars.Last().Message?.ToString() ?? string.Empty, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=schedule-row]"));
    }
}

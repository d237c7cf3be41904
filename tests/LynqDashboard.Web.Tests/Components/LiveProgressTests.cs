using Bunit;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Components.Controls;
using LynqDashboard.Web.Components.Pages;
using LynqDashboard.Web.Tests.Shared;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Web.Tests.Components;

public sealed class LiveProgressTests : ComponentTest
{
    [Fact]
    public void RunProgress_ShowsStagePercentUnitsAndAnEta()
    {
        var progress = new JobProgress { Stage = "training", Fraction = 0.425, Done = 85, Total = 200 };

        var cut = Render<RunProgress>(p => p.Add(c => c.Progress, progress).Add(c => c.StartedAt, DateTimeOffset.UtcNow.AddSeconds(-10)));

        Assert.Contains("training · 42.5 %", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("85 / 200 trees", cut.Markup, StringComparison.Ordinal);
        Assert.Matches(@"ETA 1[0-9]\.\d s", cut.Markup);
    }

    [Fact]
    public async Task VersionPage_WhileRunning_FollowsPublishedProgressAndUnsubscribesWhenLeft()
    {
        var version = new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), Status = VersionStatus.Running, StartedAt = DateTimeOffset.UtcNow };
        await Registry.AddVersionAsync(version);
        var cut = Render<ModelVersion>(p => p.Add(c => c.Number, 1));
        Assert.Equal(1, Hub.SubscriberCount);

        Hub.Publish(new RunUpdate(RunKind.Version, version.Id, RunState.Running, "Running", new JobProgress { Stage = "training", Fraction = 0.5, Done = 100, Total = 200 }));
        cut.WaitForAssertion(() => Assert.Contains("100 / 200 trees", cut.Markup, StringComparison.Ordinal));
        Hub.Publish(new RunUpdate(RunKind.Version, Guid.NewGuid(), RunState.Running, "Running", new JobProgress { Stage = "training", Fraction = 0.9, Done = 180, Total = 200 }));
        Hub.Publish(new RunUpdate(RunKind.Version, version.Id, RunState.Running, "Running", new JobProgress { Stage = "training", Fraction = 0.6, Done = 120, Total = 200 }));
        cut.WaitForAssertion(() => Assert.Contains("120 / 200 trees", cut.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("180 / 200", cut.Markup, StringComparison.Ordinal);

        await DisposeComponentsAsync();

        Assert.Equal(0, Hub.SubscriberCount);
    }

    [Fact]
    public async Task VersionPage_OpenedWhileQueued_ChipElapsedAndEtaFollowTheRunOnceItStarts()
    {
        // As "Generate and train" opens it: the version waits, queued, for its dataset.
        var version = new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), Status = VersionStatus.Queued };
        await Registry.AddVersionAsync(version);
        var cut = Render<ModelVersion>(p => p.Add(c => c.Number, 1));
        Assert.Equal("Queued", cut.Find("[data-testid=version-status]").TextContent.Trim());
        Assert.Contains("elapsed – · ETA –", cut.Find("[data-testid=run-timing]").TextContent, StringComparison.Ordinal);

        // The job starts (the record says so first, as the workflow writes it) and reports its first trees.
        await Registry.UpdateVersionAsync(version.Id, v => (v.Status, v.StartedAt) = (VersionStatus.Running, DateTimeOffset.UtcNow.AddSeconds(-4)));
        Hub.Publish(new RunUpdate(RunKind.Version, version.Id, RunState.Running, "Running", new JobProgress { Stage = "training", Fraction = 0.25, Done = 50, Total = 200 }));

        cut.WaitForAssertion(() => Assert.Equal("Running", cut.Find("[data-testid=version-status]").TextContent.Trim()));
        var timing = cut.Find("[data-testid=run-timing]").TextContent;
        Assert.Matches(@"elapsed [4-9]\.\d s · ETA 1[2-9]\.\d s", timing);
        Assert.Contains("50 / 200 trees", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void RunProgress_WhileRunningWithoutReports_TheElapsedTimeStillCounts()
    {
        var cut = Render<RunProgress>(p => p.Add(c => c.Progress, new JobProgress { Stage = "evaluating", Fraction = 0.9 }).Add(c => c.StartedAt, DateTimeOffset.UtcNow.AddSeconds(-10)));
        var first = long.Parse(cut.Find("[data-testid=run-progress]").GetAttribute("data-elapsed-seconds")!, System.Globalization.CultureInfo.InvariantCulture);

        cut.WaitForAssertion(
            () => Assert.True(long.Parse(cut.Find("[data-testid=run-progress]").GetAttribute("data-elapsed-seconds")!, System.Globalization.CultureInfo.InvariantCulture) > first),
            TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void RunProgress_Finished_StopsCountingAndSaysHowLongItTook()
    {
        var started = DateTimeOffset.UtcNow.AddSeconds(-30);
        var cut = Render<RunProgress>(p => p.Add(c => c.Progress, new JobProgress { Stage = "completed", Fraction = 1 }).Add(c => c.StartedAt, started).Add(c => c.FinishedAt, started.AddSeconds(12.5)));

        Assert.Contains("completed · 100 %", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("took 12.5 s", cut.Find("[data-testid=run-timing]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionPage_SaveNotes_StoresNotesAndCleanTags()
    {
        var version = new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), Status = VersionStatus.Failed, Error = "disk full" };
        await Registry.AddVersionAsync(version);
        var cut = Render<ModelVersion>(p => p.Add(c => c.Number, 1));
        Assert.Contains("disk full", cut.Find("[data-testid=version-error]").TextContent, StringComparison.Ordinal);

        cut.Find("textarea").Change("Baseline for the Q4 review");
        var inputs = cut.FindAll("input");
        inputs[^1].Change(" q4 , baseline,, Q4 ");
        cut.FindAll("button").First(b => b.TextContent.Contains("Save notes", StringComparison.Ordinal)).Click();

        cut.WaitForAssertion(() => Assert.Equal("Baseline for the Q4 review", version.Notes));
        Assert.Equal("q4,baseline", version.Tags);
    }

    [Fact]
    public async Task VersionPage_Cancel_MarksTheQueuedRunCancelled()
    {
        var version = new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), Status = VersionStatus.Queued, JobId = "job-9" };
        await Registry.AddVersionAsync(version);
        var cut = Render<ModelVersion>(p => p.Add(c => c.Number, 1));

        cut.Find("[data-testid=cancel]").Click();

        cut.WaitForAssertion(() => Assert.Equal(VersionStatus.Cancelled, version.Status));
        cut.WaitForAssertion(() => Assert.Contains("Cancelled", cut.Markup, StringComparison.Ordinal));
    }
}

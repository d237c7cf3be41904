using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Retraining;

namespace LynqDashboard.Infrastructure.Tests.Retraining;

/// <summary>Real runs on a real SQLite registry: real generation and training (3,000 rows, 30 trees), real gates, real requests.</summary>
public sealed class RetrainingRunnerTests
{
    [Fact]
    public async Task RunAsync_GenerateSource_TrainsAChallengerAndOpensAPendingRequest_WithoutPromoting()
    {
        await using var bed = await RetrainingBed.CreateAsync();
        var schedule = await bed.AddScheduleAsync(ScheduleSource.Generate);

        var run = await bed.Runner.RunAsync(schedule.Id, "cron", overrides: null, CancellationToken.None);

        Assert.Equal(ScheduleRunOutcome.RequestOpened, run.Outcome);
        Assert.NotNull(run.FinishedAt);
        var version = (await bed.Registry.GetVersionByNumberAsync(run.VersionNumber!.Value))!;
        Assert.Equal((VersionStatus.Ready, "ana@lynq.test"), (version.Status, version.TrainedBy));
        var request = (await bed.Requests.GetAsync(run.PromotionRequestId!.Value))!;
        Assert.Equal((PromotionRequestStatus.Pending, "ana@lynq.test", version.Number), (request.Status, request.RequestedBy, request.VersionNumber));
        Assert.StartsWith($"Retraining schedule '{schedule.Name}' run #1 (cron): v{version.Number} with nothing in production", request.Comment, StringComparison.Ordinal);
        Assert.Empty(await bed.Promotions.ListPromotionsAsync());
        Assert.Null((await bed.Store.GetScheduleAsync(schedule.Id))!.RunningRunId);

        // The seed moves on with the run number, so the next run trains on other data.
        var dataset = (await bed.Registry.GetDatasetAsync(run.DatasetId!.Value))!;
        Assert.Equal((3_000, 11L), (dataset.RequestedRows, dataset.Seed));
    }

    [Fact]
    public async Task RunAsync_WhileAnotherRunHoldsTheLock_IsSkippedNamingThatRun()
    {
        await using var bed = await RetrainingBed.CreateAsync();
        var schedule = await bed.AddScheduleAsync(ScheduleSource.Generate, rows: 20_000, trees: 60);
        var first = bed.Runner.RunAsync(schedule.Id, "cron", null, CancellationToken.None);
        while ((await bed.Store.GetScheduleAsync(schedule.Id))!.RunningRunId is null)
        {
            Assert.False(first.IsCompleted, "the first run finished before the second could meet its lock");
            await Task.Delay(10);
        }

        var second = await bed.Runner.RunAsync(schedule.Id, "manual by bo@lynq.test", null, CancellationToken.None);
        var firstRun = await first;

        Assert.Equal(ScheduleRunOutcome.Skipped, second.Outcome);
        Assert.Matches(@"^run #1 \(started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\) is still going$", second.Detail);
        Assert.Null(second.VersionNumber);
        Assert.Equal(ScheduleRunOutcome.RequestOpened, firstRun.Outcome);
        Assert.Equal([2, 1], (await bed.Store.ListRunsAsync(schedule.Id)).Select(r => r.Number));
        Assert.Single((await bed.Registry.QueryVersionsAsync(new VersionQuery())).Items);
    }

    [Fact]
    public async Task RunAsync_LockHeldByARunStartedSevenHoursAgo_TakesItOverAndMarksThatRunInterrupted()
    {
        await using var bed = await RetrainingBed.CreateAsync();
        var schedule = await bed.AddScheduleAsync(ScheduleSource.Generate);
        var dead = await bed.Store.AddRunAsync(new ScheduleRun { ScheduleId = schedule.Id, Trigger = "cron", StartedAt = DateTimeOffset.UtcNow.AddHours(-7) });
        Assert.True(await bed.Store.TryLockAsync(schedule.Id, dead.Id));

        var run = await bed.Runner.RunAsync(schedule.Id, "cron", null, CancellationToken.None);

        // It trained (whether run #2's data passes every gate is beside the point here).
        Assert.True(run.Outcome is ScheduleRunOutcome.RequestOpened or ScheduleRunOutcome.GatesFailed, $"{run.Outcome}: {run.Detail}");
        Assert.NotNull(run.VersionNumber);
        var interrupted = (await bed.Store.GetRunAsync(dead.Id))!;
        Assert.Equal(ScheduleRunOutcome.Failed, interrupted.Outcome);
        Assert.StartsWith("interrupted", interrupted.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CronOnAPausedSchedule_IsSkippedPaused_ButRunNowStillRuns()
    {
        await using var bed = await RetrainingBed.CreateAsync();
        var schedule = await bed.AddScheduleAsync(ScheduleSource.NewestDataset);
        await bed.Store.UpdateScheduleAsync(schedule.Id, s => s.Paused = true);

        var cron = await bed.Runner.RunAsync(schedule.Id, "cron", null, CancellationToken.None);
        var manual = await bed.Runner.RunAsync(schedule.Id, "manual by bo@lynq.test", null, CancellationToken.None);

        Assert.Equal((ScheduleRunOutcome.Skipped, "paused"), (cron.Outcome, cron.Detail));
        Assert.Equal(ScheduleRunOutcome.Failed, manual.Outcome); // it ran: and found no dataset to train on
        Assert.Contains("no ready dataset", manual.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_LedgerSource_TrainsOnDecisionsWithOutcomes_AndRecordsTheirLineage()
    {
        await using var bed = await RetrainingBed.CreateAsync();
        var (withOutcome, defaults) = await bed.FillLedgerAsync(3_000);
        var schedule = await bed.AddScheduleAsync(ScheduleSource.Ledger);

        var run = await bed.Runner.RunAsync(schedule.Id, "manual by bo@lynq.test", null, CancellationToken.None);

        Assert.True(run.Outcome is ScheduleRunOutcome.RequestOpened or ScheduleRunOutcome.GatesFailed, $"{run.Outcome}: {run.Detail}");
        var lineage = run.Lineage!;
        Assert.Equal((2_700, withOutcome, defaults), (withOutcome, lineage.Decisions, lineage.Defaults));
        var dataset = (await bed.Registry.GetDatasetAsync(run.DatasetId!.Value))!;
        Assert.Equal((DatasetStatus.Ready, (long?)withOutcome, (long?)defaults), (dataset.Status, dataset.RowCount, dataset.Defaults));
        Assert.StartsWith("ledger ", dataset.Name, StringComparison.Ordinal);
        Assert.EndsWith("· 2,700 loans", dataset.Name, StringComparison.Ordinal);
        var version = (await bed.Registry.GetVersionByNumberAsync(run.VersionNumber!.Value))!;
        Assert.Equal((VersionStatus.Ready, dataset.Sha256), (version.Status, version.DatasetSha256));

        // The lineage file lists exactly the rows trained on: each tenth decision had no outcome and is absent.
        var lines = await File.ReadAllLinesAsync(bed.Data.Resolve(lineage.LineageFile));
        Assert.Equal("decision_id,request_id,decided_at,observed_at,defaulted", lines[0]);
        Assert.Equal(withOutcome, lines.Length - 1);
        Assert.DoesNotContain(lines, l => l.Split(',')[1] == "req-9");
        Assert.Equal(defaults, lines.Skip(1).Count(l => l.EndsWith(",1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunAsync_LedgerWithTooFewOutcomes_FailsSayingHowMany_AndFilesNoDataset()
    {
        await using var bed = await RetrainingBed.CreateAsync();
        await bed.FillLedgerAsync(500);
        var schedule = await bed.AddScheduleAsync(ScheduleSource.Ledger);

        var run = await bed.Runner.RunAsync(schedule.Id, "cron", null, CancellationToken.None);

        Assert.Equal(ScheduleRunOutcome.Failed, run.Outcome);
        Assert.StartsWith("the ledger holds only 450 decided loans with outcomes", run.Detail, StringComparison.Ordinal);
        Assert.Contains("at least 1,000 with 50 defaults are needed", run.Detail, StringComparison.Ordinal);
        Assert.Empty(await bed.Registry.ListDatasetsAsync());
        Assert.Empty(Directory.GetFiles(Path.Combine(bed.Data.Root, "datasets")));
    }

    [Fact]
    public async Task RunAsync_QualityGateFails_IsGatesFailedWithTheCheck_AndOpensNoRequest()
    {
        await using var bed = await RetrainingBed.CreateAsync(new PromotionGates(MinRocAuc: 0.999, MaxCalibrationError: 0.2));
        var schedule = await bed.AddScheduleAsync(ScheduleSource.Generate);

        var run = await bed.Runner.RunAsync(schedule.Id, "cron", null, CancellationToken.None);

        Assert.Equal(ScheduleRunOutcome.GatesFailed, run.Outcome);
        Assert.Contains(ReviewCheckNames.Quality, run.Detail, StringComparison.Ordinal);
        Assert.Null(run.PromotionRequestId);
        Assert.Empty(await bed.Requests.ListAsync());
        Assert.Equal(VersionStatus.Ready, (await bed.Registry.GetVersionByNumberAsync(run.VersionNumber!.Value))!.Status);
    }
}

using LynqDashboard.Core;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Retraining;
using LynqDashboard.Core.Training;
using LynqDashboard.Infrastructure.Registry;
using LynqDashboard.Tests.Shared;

namespace LynqDashboard.Infrastructure.Tests.Retraining;

/// <summary>Schedules and runs round-trip; the overlap lock has one winner; pause is stored; runs are numbered and listed newest first.</summary>
public abstract class EfRetrainingStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    protected abstract Task<RegistryFixture> CreateFixtureAsync();

    [Fact]
    public async Task AddSchedule_ReadBack_KeepsEveryFieldIncludingTheJsonColumns()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfRetrainingStore(fixture.Contexts);
        var schedule = Schedule("nightly");
        schedule.Generate = new DatasetParameters(50_000, 9, 0.1, LabelMode.LynqOriginal);
        schedule.Training = new TrainingParameters(Trees: 30, Leaves: 8);
        await store.AddScheduleAsync(schedule);

        var read = (await store.GetScheduleAsync(schedule.Id))!;

        Assert.Equal(("nightly", "0 2 * * *", "Europe/Berlin", ScheduleSource.Generate, true, "ana@lynq.test"), (read.Name, read.Cron, read.TimeZone, read.Source, read.OnAlert, read.CreatedBy));
        Assert.Equal(schedule.Generate, read.Generate);
        Assert.Equal(schedule.Training, read.Training);
        Assert.Equal(Start, read.CreatedAt);
        Assert.Null(read.RunningRunId);
    }

    [Fact]
    public async Task AddSchedule_NameTaken_IsAConflictNamingName()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfRetrainingStore(fixture.Contexts);
        await store.AddScheduleAsync(Schedule("nightly"));

        var e = await Assert.ThrowsAsync<LynqException>(() => store.AddScheduleAsync(Schedule("nightly")));

        Assert.Equal((ProblemKind.Conflict, "name"), (e.Kind, e.Field));
        Assert.Single(await store.ListSchedulesAsync());
    }

    [Fact]
    public async Task TryLock_FromTwoTasksAtOnce_ExactlyOneWins_AndReleaseByTheLoserChangesNothing()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfRetrainingStore(fixture.Contexts);
        var schedule = await store.AddScheduleAsync(Schedule("nightly"));
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        using var go = new ManualResetEventSlim();

        var attempts = new[] { first, second }.Select(run => Task.Run(async () =>
        {
            go.Wait();
            return (Run: run, Won: await new EfRetrainingStore(fixture.Contexts).TryLockAsync(schedule.Id, run));
        })).ToList();
        go.Set();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r.Won).Run;
        var loser = winner == first ? second : first;
        await store.ReleaseAsync(schedule.Id, loser);
        Assert.Equal(winner, (await store.GetScheduleAsync(schedule.Id))!.RunningRunId);
        Assert.False(await store.TryLockAsync(schedule.Id, loser));

        await store.ReleaseAsync(schedule.Id, winner);
        Assert.True(await store.TryLockAsync(schedule.Id, loser));
    }

    [Fact]
    public async Task UpdateSchedule_Paused_IsReadPausedByANewContext_AndKeepsALockTakenMeanwhile()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfRetrainingStore(fixture.Contexts);
        var schedule = await store.AddScheduleAsync(Schedule("nightly"));
        var run = Guid.NewGuid();
        Assert.True(await store.TryLockAsync(schedule.Id, run));

        await store.UpdateScheduleAsync(schedule.Id, s => s.Paused = true);

        await using var db = await fixture.Contexts.CreateDbContextAsync();
        var read = Assert.Single(db.RetrainingSchedules.Where(s => s.Id == schedule.Id).ToList());
        Assert.True(read.Paused);
        Assert.Equal(run, read.RunningRunId);
        Assert.Null(await store.UpdateScheduleAsync(Guid.NewGuid(), s => s.Paused = true));
    }

    [Fact]
    public async Task AddRun_NumbersPerSchedule_ListsNewestFirst_AndKeepsTheLineage()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfRetrainingStore(fixture.Contexts);
        var nightly = await store.AddScheduleAsync(Schedule("nightly"));
        var weekly = await store.AddScheduleAsync(Schedule("weekly"));
        var lineage = new LedgerLineage(Start.AddDays(-90), Start, 1_234, 99, 10, 5_000, "datasets/x.lineage.csv");
        for (var i = 0; i < 3; i++)
        {
            await store.AddRunAsync(new ScheduleRun { ScheduleId = nightly.Id, Trigger = "cron", StartedAt = Start.AddHours(i) });
        }

        var other = await store.AddRunAsync(new ScheduleRun { ScheduleId = weekly.Id, Trigger = "manual by bo", StartedAt = Start });
        var last = (await store.ListRunsAsync(nightly.Id))[0];
        await store.UpdateRunAsync(last.Id, r => (r.Outcome, r.FinishedAt, r.Lineage, r.VersionNumber) = (ScheduleRunOutcome.RequestOpened, Start.AddHours(3), lineage, 7));

        var runs = await store.ListRunsAsync(nightly.Id);
        Assert.Equal([3, 2, 1], runs.Select(r => r.Number));
        Assert.Equal(1, other.Number);
        Assert.Equal((ScheduleRunOutcome.RequestOpened, 7, lineage), (runs[0].Outcome, runs[0].VersionNumber, runs[0].Lineage));
        Assert.Equal(4, (await store.ListRunsAsync()).Count);
        Assert.Equal(2, (await store.ListRunsAsync(take: 2)).Count);
    }

    [Fact]
    public async Task AddRun_EightAtOnceForOneSchedule_AreNumberedOneToEight()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfRetrainingStore(fixture.Contexts);
        var schedule = await store.AddScheduleAsync(Schedule("nightly"));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => new EfRetrainingStore(fixture.Contexts).AddRunAsync(new ScheduleRun { ScheduleId = schedule.Id, Trigger = "cron", StartedAt = Start.AddSeconds(i) }))));

        Assert.Equal(Enumerable.Range(1, 8), (await store.ListRunsAsync(schedule.Id)).Select(r => r.Number).Order());
    }

    private static RetrainingSchedule Schedule(string name) => new()
    {
        Name = name,
        Cron = "0 2 * * *",
        TimeZone = "Europe/Berlin",
        OnAlert = true,
        CreatedBy = "ana@lynq.test",
        CreatedAt = Start,
        UpdatedAt = Start,
    };
}

public sealed class SqliteEfRetrainingStoreTests : EfRetrainingStoreTests
{
    protected override Task<RegistryFixture> CreateFixtureAsync() => RegistryFixture.CreateAsync();
}

public sealed class PostgresEfRetrainingStoreTests(PostgresServerFixture server) : EfRetrainingStoreTests, IClassFixture<PostgresServerFixture>
{
    protected override async Task<RegistryFixture> CreateFixtureAsync() => await RegistryFixture.CreateAsync(await server.CreateDatabaseAsync());
}

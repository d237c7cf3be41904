using LynqDashboard.Core;
using LynqDashboard.Core.Retraining;
using LynqDashboard.Core.Training;
using Microsoft.Extensions.Time.Testing;

namespace LynqDashboard.Core.Tests.Retraining;

public sealed class RetrainingSchedulesTests
{
    private readonly MemoryRetrainingStore _store = new();
    private readonly RecordingRetrainingScheduler _scheduler = new();
    private readonly MemoryAuditLog _audit = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private RetrainingSchedules Schedules => new(_store, _scheduler, _audit, _clock);

    [Fact]
    public async Task CreateAsync_EveryFieldWrong_NamesEachFieldAndStoresNothing()
    {
        var draft = new ScheduleDraft(" ", "61 * * * *", "Mars/Olympus_Mons", "spreadsheet", Rows: 0, DefaultRate: 0.9, LedgerWindowDays: 0, Training: new TrainingParameters(Trees: 0));

        var e = await Assert.ThrowsAsync<LynqException>(() => Schedules.CreateAsync(draft, "ana"));

        Assert.Equal(ProblemKind.Invalid, e.Kind);
        Assert.Equal(["name", "time_zone", "cron", "source", "rows", "default_rate", "ledger_window_days", "training.trees"], e.Problems.Select(p => p.Field));
        Assert.Empty(await _store.ListSchedulesAsync());
        Assert.Empty(_scheduler.Recurring);
        Assert.Empty(_audit.Events);
    }

    [Theory]
    [InlineData("* * *", "3 fields")]
    [InlineData("", "empty")]
    [InlineData("0 25 * * *", "'0 25 * * *' is not a cron expression")]
    public async Task CreateAsync_BadCron_ExplainsInTheCronField(string cron, string expected)
    {
        var e = await Assert.ThrowsAsync<LynqException>(() => Schedules.CreateAsync(new ScheduleDraft("nightly", cron), "ana"));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("cron", problem.Field);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_NameLongerThanEighty_NamesName()
    {
        var e = await Assert.ThrowsAsync<LynqException>(() => Schedules.CreateAsync(new ScheduleDraft(new string('n', 81), "0 2 * * *"), "ana"));

        Assert.Equal("name", Assert.Single(e.Problems).Field);
    }

    [Fact]
    public async Task CreateAsync_GoodDraft_StoresRegistersTheCronAndAudits()
    {
        var created = await Schedules.CreateAsync(new ScheduleDraft("nightly", "0 2 * * *", "Europe/Berlin", "ledger", LedgerWindowDays: 30, OnAlert: true), "ana@lynq.test");

        Assert.Equal(ScheduleSource.Ledger, created.Source);
        Assert.Null(created.Generate);
        Assert.Equal(30, created.LedgerWindowDays);
        Assert.Equal("ana@lynq.test", created.CreatedBy);
        Assert.Equal("0 2 * * *", _scheduler.Recurring[created.Id]);
        var entry = Assert.Single(_audit.Events);
        Assert.Equal((RetrainingSchedules.Created, "schedule 'nightly'"), (entry.Action, entry.Subject));
    }

    [Fact]
    public async Task PauseAsync_ThenResume_RemovesAndRestoresTheRecurringJob()
    {
        var created = await Schedules.CreateAsync(new ScheduleDraft("nightly", "0 2 * * *"), "ana");

        var paused = await Schedules.PauseAsync(created.Id, "bo");
        Assert.True(paused.Paused);
        Assert.DoesNotContain(created.Id, _scheduler.Recurring.Keys);
        await Schedules.PauseAsync(created.Id, "bo");

        var resumed = await Schedules.ResumeAsync(created.Id, "bo");
        Assert.False(resumed.Paused);
        Assert.Contains(created.Id, _scheduler.Recurring.Keys);
        Assert.Equal([RetrainingSchedules.Created, RetrainingSchedules.PausedAction, RetrainingSchedules.Resumed], _audit.Events.Select(e => e.Action));
    }

    [Fact]
    public async Task RunNowAsync_PausedSchedule_QueuesAManualRunWithItsOverrides()
    {
        var created = await Schedules.CreateAsync(new ScheduleDraft("nightly", "0 2 * * *"), "ana");
        await Schedules.PauseAsync(created.Id, "ana");

        var job = await Schedules.RunNowAsync(created.Id, "bo@lynq.test", new RunOverrides(Rows: 5_000, Trees: 30));

        Assert.Equal("job-1", job);
        var (schedule, trigger, overrides) = Assert.Single(_scheduler.Enqueued);
        Assert.Equal((created.Id, "manual by bo@lynq.test", 5_000, 30), (schedule, trigger, overrides!.Rows!.Value, overrides.Trees!.Value));
        Assert.Equal(RetrainingSchedules.RunRequested, _audit.Events[^1].Action);
    }

    [Fact]
    public async Task RunNowAsync_BadOverrides_NamesThemAndQueuesNothing()
    {
        var created = await Schedules.CreateAsync(new ScheduleDraft("nightly", "0 2 * * *"), "ana");

        var e = await Assert.ThrowsAsync<LynqException>(() => Schedules.RunNowAsync(created.Id, "bo", new RunOverrides(Rows: -1, Trees: 9_999, LedgerWindowDays: 731)));

        Assert.Equal(["rows", "trees", "ledger_window_days"], e.Problems.Select(p => p.Field));
        Assert.Empty(_scheduler.Enqueued);
    }

    [Fact]
    public async Task PauseAsync_UnknownSchedule_IsNotFound()
    {
        var e = await Assert.ThrowsAsync<LynqException>(() => Schedules.PauseAsync(Guid.NewGuid(), "bo"));

        Assert.Equal(ProblemKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task SyncAllAsync_AfterARestart_KeepsAPausedScheduleOff()
    {
        var running = await Schedules.CreateAsync(new ScheduleDraft("nightly", "0 2 * * *"), "ana");
        var paused = await Schedules.CreateAsync(new ScheduleDraft("weekly", "0 3 * * 1"), "ana");
        await Schedules.PauseAsync(paused.Id, "ana");
        var restarted = new RecordingRetrainingScheduler();

        await new RetrainingSchedules(_store, restarted, _audit, _clock).SyncAllAsync();

        Assert.Equal([running.Id], restarted.Recurring.Keys);
    }

    [Fact]
    public void NextRun_BerlinAcrossTheSpringDstChange_FollowsLocalTwoOClock()
    {
        var schedule = new RetrainingSchedule { Name = "nightly", Cron = "0 2 * * *", TimeZone = "Europe/Berlin", CreatedBy = "ana" };

        // 02:00 CET is 01:00 UTC; on 29 March 2026 02:00 does not exist (clocks jump to 03:00 CEST = 01:00 UTC); after it, 02:00 CEST is 00:00 UTC.
        var before = RetrainingSchedules.NextRun(schedule, new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero));
        var change = RetrainingSchedules.NextRun(schedule, before!.Value);
        var after = RetrainingSchedules.NextRun(schedule, change!.Value);

        Assert.Equal(new DateTimeOffset(2026, 3, 28, 1, 0, 0, TimeSpan.Zero), before);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), change);
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 0, 0, 0, TimeSpan.Zero), after);
        Assert.Equal(TimeSpan.Zero, after!.Value.Offset);
    }

    [Fact]
    public void NextRun_PausedOrCronOff_IsNull()
    {
        var now = new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero);

        Assert.Null(RetrainingSchedules.NextRun(new RetrainingSchedule { Name = "n", Cron = "0 2 * * *", CreatedBy = "a", Paused = true }, now));
        Assert.Null(RetrainingSchedules.NextRun(new RetrainingSchedule { Name = "n", Cron = "0 2 * * *", CreatedBy = "a", OnCron = false }, now));
        Assert.NotNull(RetrainingSchedules.NextRun(new RetrainingSchedule { Name = "n", Cron = "0 2 * * *", CreatedBy = "a" }, now));
    }
}

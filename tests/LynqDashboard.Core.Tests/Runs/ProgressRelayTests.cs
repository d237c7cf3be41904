using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using Microsoft.Extensions.Time.Testing;

namespace LynqDashboard.Core.Tests.Runs;

/// <summary>
/// A job's progress reports: every one published at once and in order, saves throttled to one per interval or stage
/// change and one at a time, a final flush of the latest state, and a save that finds a Cancel cancels the job.
/// The test is the publisher; the clock moves only when a test moves it.
/// </summary>
public sealed class ProgressRelayTests : IRunUpdatePublisher
{
    private static readonly Guid RunId = Guid.NewGuid();

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly List<RunUpdate> _published = [];
    private readonly List<JobProgress> _saved = [];
    private Func<JobProgress, Task<bool>> _save;
    private int _cancels;

    public ProgressRelayTests() => _save = _ => Task.FromResult(false);

    void IRunUpdatePublisher.Publish(RunUpdate update) => _published.Add(update);

    [Fact]
    public void Report_EveryReport_IsPublishedAtOnceInOrderWithTheClocksTime()
    {
        var relay = Relay();

        relay.Report("generating", 0.25, 1, 4);
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        relay.Report("generating", 1.5, 2, 4);
        relay.Report("generating", -0.2, 3, 4);

        Assert.Equal([1L, 2, 3], _published.Select(u => u.Progress.Done));
        Assert.All(_published, u => Assert.Equal((RunKind.Version, RunId, "Running", 4L), (u.Kind, u.Id, u.Status, u.Progress.Total)));
        Assert.Equal([0.25, 1.0, 0.0], _published.Select(u => u.Progress.Fraction)); // clamped to 0–1
        Assert.Equal([_clock.GetUtcNow().AddMilliseconds(-10), _clock.GetUtcNow(), _clock.GetUtcNow()], _published.Select(u => u.Progress.UpdatedAt!.Value));
    }

    [Fact]
    public void Report_WithinTheSaveInterval_SavesOnlyOncePerInterval()
    {
        var relay = Relay();

        relay.Report("training", 0.1, 1, 10);                        // the first report is always saved
        Report(relay, after: TimeSpan.FromMilliseconds(200), done: 2);
        Report(relay, after: TimeSpan.FromMilliseconds(299), done: 3); // 499 ms after the save: not yet
        Report(relay, after: TimeSpan.FromMilliseconds(1), done: 4);   // 500 ms: due
        Report(relay, after: TimeSpan.FromMilliseconds(100), done: 5);

        Assert.Equal([1L, 4], _saved.Select(p => p.Done));
        Assert.Equal(5, _published.Count);
    }

    [Fact]
    public void Report_ANewStage_IsSavedAtOnce()
    {
        var relay = Relay();

        relay.Report("splitting", 0.0, 0, 0);
        Report(relay, after: TimeSpan.FromMilliseconds(5), done: 0, stage: "training");
        Report(relay, after: TimeSpan.FromMilliseconds(5), done: 1, stage: "training");

        Assert.Equal(["splitting", "training"], _saved.Select(p => p.Stage));
    }

    [Fact]
    public void Report_WhileASaveIsStillRunning_StartsNoSecondOne()
    {
        var slow = new TaskCompletionSource<bool>();
        _save = _ => slow.Task;
        var relay = Relay();

        relay.Report("training", 0.1, 1, 10);
        Report(relay, after: TimeSpan.FromSeconds(1), done: 2, stage: "evaluating"); // due twice over, but the first save runs
        Assert.Single(_saved);

        _save = _ => Task.FromResult(false);
        slow.SetResult(false);
        Report(relay, after: TimeSpan.FromMilliseconds(10), done: 3, stage: "calibrating");

        Assert.Equal([1L, 3], _saved.Select(p => p.Done));
    }

    [Fact]
    public async Task FlushAsync_WaitsForTheRunningSave_ThenSavesTheLatestReport()
    {
        var slow = new TaskCompletionSource<bool>();
        _save = _ => slow.Task;
        var relay = Relay();
        relay.Report("training", 0.1, 1, 10);
        Report(relay, after: TimeSpan.FromMilliseconds(100), done: 9);
        _save = _ => Task.FromResult(false);

        var flush = relay.FlushAsync();
        Assert.False(flush.IsCompleted);
        Assert.Single(_saved);

        slow.SetResult(false);
        await flush;

        Assert.Equal([1L, 9], _saved.Select(p => p.Done));
    }

    [Fact]
    public async Task FlushAsync_AfterThrottledReports_SavesTheLastOne()
    {
        var relay = Relay();
        for (var done = 1; done <= 20; done++)
        {
            Report(relay, after: TimeSpan.FromMilliseconds(10), done: done);
        }

        await relay.FlushAsync();

        Assert.Equal([1L, 20], _saved.Select(p => p.Done)); // 20 reports within 200 ms: the first, then the flush
        Assert.Equal(1.0, _saved[^1].Fraction);
    }

    [Fact]
    public async Task Save_ThatFindsCancelRequested_CancelsTheJob()
    {
        var relay = Relay();
        relay.Report("training", 0.1, 1, 10);
        Assert.Equal(0, _cancels);

        _save = _ => Task.FromResult(true);
        Report(relay, after: TimeSpan.FromSeconds(1), done: 2);
        Assert.Equal(1, _cancels);

        await relay.FlushAsync();
        Assert.Equal(2, _cancels);
    }

    [Fact]
    public async Task Save_ThatFails_NeverFailsTheJob_AndTheNextOneRetries()
    {
        _save = _ => throw new IOException("database is locked");
        var relay = Relay();

        relay.Report("training", 0.1, 1, 10);
        _save = _ => Task.FromException<bool>(new IOException("database is locked"));
        Report(relay, after: TimeSpan.FromSeconds(1), done: 2);
        await relay.FlushAsync();
        _save = _ => Task.FromResult(false);
        Report(relay, after: TimeSpan.FromSeconds(1), done: 3);

        Assert.Equal([1L, 2, 2, 3], _saved.Select(p => p.Done));
        Assert.Equal(0, _cancels);
        Assert.Equal(3, _published.Count);
    }

    private ProgressRelay Relay() => new(progress => new RunUpdate(RunKind.Version, RunId, RunState.Running, "Running", progress), this, progress =>
    {
        _saved.Add(progress);
        return _save(progress);
    }, () => _cancels++, _clock);

    private void Report(ProgressRelay relay, TimeSpan after, long done, string stage = "training")
    {
        _clock.Advance(after);
        relay.Report(stage, done / 20.0, done, 20);
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using LynqDashboard.Core.Monitoring;

namespace LynqDashboard.Core.Tests.Monitoring;

/// <summary>The buffer never blocks a scoring thread, counts every decision it loses, and flushes what it holds when stopped.</summary>
public sealed class DecisionLedgerTests
{
    [Fact]
    public void Record_WhenTheBufferIsFull_DropsAndCountsWithoutWaiting()
    {
        var ledger = new DecisionLedger(enabled: true, capacity: 100);
        var watch = Stopwatch.StartNew();
        var accepted = Enumerable.Range(0, 250).Count(i => ledger.Record(Decision(i)));
        watch.Stop();

        Assert.Equal(100, accepted);
        Assert.Equal(150, ledger.Dropped);
        Assert.Equal(100, ledger.Recorded);
        Assert.Equal(100, ledger.Pending);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"250 records took {watch.Elapsed}");
    }

    [Fact]
    public void Record_WhenDisabled_RefusesAndCountsNothing()
    {
        var ledger = new DecisionLedger(enabled: false, capacity: 100);

        Assert.False(ledger.Record(Decision(1)));
        Assert.Equal((0L, 0L, 0), (ledger.Recorded, ledger.Dropped, ledger.Pending));
    }

    [Fact]
    public async Task RunAsync_WorkBeforeWriteThatThrows_LosesNoDecision()
    {
        var ledger = new DecisionLedger(enabled: true, capacity: 100, linger: TimeSpan.Zero);
        var store = new RecordingStore();
        var seen = 0;
        ledger.BeforeWrite = batch =>
        {
            seen += batch.Count;
            throw new InvalidOperationException("the shadow model is broken");
        };
        using var stop = new CancellationTokenSource();
        var writer = ledger.RunAsync(store, batchSize: 10, stop.Token);
        for (var i = 0; i < 25; i++)
        {
            Assert.True(ledger.Record(Decision(i)));
        }

        await stop.CancelAsync();
        await writer.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(25, seen);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"r{i}"), store.Batches.SelectMany(b => b).Select(d => d.RequestId));
        Assert.Equal((25L, 0L), (ledger.Written, ledger.Dropped));
    }

    [Fact]
    public async Task RunAsync_OnCancellation_FlushesEverythingBufferedInBatches()
    {
        var ledger = new DecisionLedger(enabled: true, capacity: 10_000, linger: TimeSpan.FromMinutes(10));
        var store = new RecordingStore();
        using var stop = new CancellationTokenSource();
        var writer = ledger.RunAsync(store, batchSize: 300, stop.Token);
        for (var i = 0; i < 250; i++)
        {
            Assert.True(ledger.Record(Decision(i)));
        }

        // Less than a batch: the long linger holds the writer back, so only stopping makes it write, and it must write all of it.
        await Task.Delay(50);
        for (var i = 250; i < 1_000; i++)
        {
            Assert.True(ledger.Record(Decision(i)));
        }

        Assert.Empty(store.Batches);
        await stop.CancelAsync();
        await writer.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Enumerable.Range(0, 1_000).Select(i => $"r{i}"), store.Batches.SelectMany(b => b).Select(d => d.RequestId));
        Assert.All(store.Batches, b => Assert.InRange(b.Count, 1, 300));
        Assert.Equal((1_000L, 0L, 0), (ledger.Written, ledger.Dropped, ledger.Pending));
    }

    [Fact]
    public async Task RunAsync_WhenTheStoreFails_CountsTheBatchAsDroppedAndKeepsWriting()
    {
        var ledger = new DecisionLedger(enabled: true, capacity: 1_000, linger: TimeSpan.Zero);
        var store = new RecordingStore { FailNext = 1 };
        var failures = new ConcurrentBag<int>();
        ledger.WriteFailed += (_, count) => failures.Add(count);
        using var stop = new CancellationTokenSource();
        var writer = ledger.RunAsync(store, batchSize: 50, stop.Token);

        for (var i = 0; i < 10; i++)
        {
            ledger.Record(Decision(i));
        }

        await WaitUntilAsync(() => ledger.Pending == 0 && ledger.Dropped == 10);
        for (var i = 10; i < 20; i++)
        {
            ledger.Record(Decision(i));
        }

        await WaitUntilAsync(() => ledger.Written == 10);
        await stop.CancelAsync();
        await writer.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Enumerable.Range(10, 10).Select(i => $"r{i}"), store.Batches.SelectMany(b => b).Select(d => d.RequestId));
        Assert.Equal((10L, 10L, 10L), (ledger.Dropped, ledger.WriteFailures, ledger.Written));
        Assert.Equal([10], failures);
    }

    [Fact]
    public async Task Record_FromManyThreadsWhileWriting_LosesNothingThatWasAccepted()
    {
        var ledger = new DecisionLedger(enabled: true, capacity: 500, linger: TimeSpan.Zero);
        var store = new RecordingStore();
        using var stop = new CancellationTokenSource();
        var writer = ledger.RunAsync(store, batchSize: 64, stop.Token);

        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => ledger.Record(Decision(i)));
        await stop.CancelAsync();
        await writer.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(20_000, ledger.Written + ledger.Dropped);
        Assert.Equal(ledger.Recorded, ledger.Written);
        Assert.Equal(ledger.Written, store.Batches.Sum(b => b.Count));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }

    internal static DecisionRecord Decision(int i) => new()
    {
        At = DateTimeOffset.UnixEpoch.AddSeconds(i),
        RequestId = $"r{i}",
        Channel = DecisionChannels.Api,
        Caller = "key:test",
        ModelVersion = "1",
        ModelSha256 = string.Empty,
        PolicyVersion = 1,
        Features = new byte[96],
        DefaultProbability = 0.1,
        CreditScore = 700,
        RiskLevel = "LOW",
        Action = "APPROVE",
        DecisionReason = "ok",
        ReasonCodes = string.Empty,
        ReasonCatalogueVersion = "1",
        IsFallback = false,
    };

    private sealed class RecordingStore : IDecisionStore
    {
        public ConcurrentQueue<List<DecisionRecord>> Batches { get; } = new();

        public int FailNext { get; set; }

        public Task AppendAsync(IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken = default)
        {
            if (FailNext > 0)
            {
                FailNext--;
                throw new InvalidOperationException("the database is gone");
            }

            Batches.Enqueue([.. decisions]);
            return Task.CompletedTask;
        }

        public Task<DecisionPage> QueryAsync(DecisionQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<LedgerEntry> StreamAsync(DecisionQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<MonitoredDecision> ReadForMonitoringAsync(int? modelNumber, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<JoinedDecision> ReadJoinedAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<OutcomeResult>> RecordOutcomesAsync(IReadOnlyList<OutcomeSubmission> outcomes, string recordedBy, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}

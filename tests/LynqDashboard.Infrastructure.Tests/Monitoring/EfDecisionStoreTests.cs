using LynqDashboard.Core.Monitoring;
using LynqDashboard.Infrastructure.Registry;
using LynqDashboard.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace LynqDashboard.Infrastructure.Tests.Monitoring;

/// <summary>
/// Decisions written by the fast path read back through EF unchanged; browsing filters, counts and joins outcomes;
/// monitoring reads in time order; pruning takes decisions and their outcomes; outcomes are idempotent per request id.
/// </summary>
public abstract class EfDecisionStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    protected abstract Task<RegistryFixture> CreateFixtureAsync();

    [Fact]
    public async Task Ledger_TwentyThousandDecisionsFromEightThreads_AreAllStored_NoneDropped_AndOutcomesFindThem()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfDecisionStore(fixture.Contexts, TimeProvider.System);
        var ledger = new DecisionLedger(enabled: true, capacity: 100_000, linger: TimeSpan.FromMilliseconds(20));
        using var stop = new CancellationTokenSource();
        var writer = ledger.RunAsync(store, batchSize: 2_000, stop.Token);

        // Eight request threads at once, as the scoring endpoints call it; the writer drains while they record.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 2_500; i++)
            {
                Assert.True(ledger.Record(Decision((t * 2_500) + i, Start.AddSeconds(i))));
            }
        })));
        await stop.CancelAsync();
        await writer;

        Assert.Equal((20_000L, 20_000L, 0L), (ledger.Recorded, ledger.Written, ledger.Dropped));
        Assert.Equal(20_000, (await store.QueryAsync(new DecisionQuery(Take: 1))).Total);
        var reported = await store.RecordOutcomesAsync([new OutcomeSubmission("req-0", true, Start), new OutcomeSubmission("req-19999", false, Start), new OutcomeSubmission("req-20000", true, Start)], "test");
        Assert.Equal([OutcomeVerdict.Recorded, OutcomeVerdict.Recorded, OutcomeVerdict.UnknownRequest], reported.Select(r => r.Verdict));
    }

    [Fact]
    public async Task Append_WhileAPageReadsTheTable_StoresEveryBatch()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfDecisionStore(fixture.Contexts, TimeProvider.System);
        using var done = new CancellationTokenSource();

        // Someone keeps the Decisions page busy (SQLite's shared cache answers a writer SQLITE_LOCKED meanwhile).
        var reader = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                await foreach (var _ in store.StreamAsync(new DecisionQuery()))
                {
                }
            }
        });
        for (var batch = 0; batch < 20; batch++)
        {
            await store.AppendAsync([.. Enumerable.Range(batch * 500, 500).Select(i => Decision(i, Start.AddSeconds(i)))]);
        }

        await done.CancelAsync();
        await reader;
        Assert.Equal(10_000, (await store.QueryAsync(new DecisionQuery(Take: 1))).Total);
    }

    [Fact]
    public async Task Append_RowsReadBackThroughEfExactly()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfDecisionStore(fixture.Contexts, TimeProvider.System);
        var shadowed = Decision(0, Start.AddMilliseconds(123.4), shadow: true);
        await store.AppendAsync([shadowed, Decision(1, Start.AddHours(1), number: null)]);

        await using var db = await fixture.Contexts.CreateDbContextAsync();
        var rows = await db.Decisions.AsNoTracking().OrderBy(d => d.Id).ToListAsync();
        Assert.Equal(2, rows.Count);
        shadowed.Id = rows[0].Id;
        Assert.Equivalent(shadowed, rows[0], strict: true);
        Assert.Null(rows[1].ModelNumber);
        Assert.Null(rows[1].ShadowVersion);
        Assert.Equal(Decision(1, Start).FeatureValues(), rows[1].FeatureValues());
    }

    [Fact]
    public async Task Query_FiltersCountsAndJoinsOutcomes_NewestFirst()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfDecisionStore(fixture.Contexts, TimeProvider.System);
        await store.AppendAsync([.. Enumerable.Range(0, 30).Select(i => Decision(i, Start.AddMinutes(i), number: i % 3 == 0 ? null : 2 + i % 2, action: i % 2 == 0 ? "APPROVE" : "REJECT"))]);
        await store.RecordOutcomesAsync([new OutcomeSubmission("req-29", true, Start)], "key:test");

        var all = await store.QueryAsync(new DecisionQuery(Take: 5));
        Assert.Equal(30, all.Total);
        Assert.Equal(["req-29", "req-28", "req-27", "req-26", "req-25"], all.Items.Select(e => e.Decision.RequestId));
        Assert.True(all.Items[0].Outcome?.Defaulted);
        Assert.Null(all.Items[1].Outcome);

        var version3Rejects = await store.QueryAsync(new DecisionQuery(ModelNumber: 3, Action: "REJECT", From: Start.AddMinutes(5), To: Start.AddMinutes(20)));
        Assert.Equal(["req-19", "req-17", "req-13", "req-11", "req-7", "req-5"], version3Rejects.Items.Select(e => e.Decision.RequestId));
        Assert.Equal(6, version3Rejects.Total);
        Assert.Equal(10, (await store.QueryAsync(new DecisionQuery(FallbackOnly: true))).Total);
        Assert.Equal(0, (await store.QueryAsync(new DecisionQuery(Channel: DecisionChannels.ScorePage))).Total);
        Assert.Equal(["req-21", "req-20"], (await store.QueryAsync(new DecisionQuery(Take: 2, Skip: 8))).Items.Select(e => e.Decision.RequestId));

        var streamed = new List<string>();
        await foreach (var entry in store.StreamAsync(new DecisionQuery(Take: 1, ModelNumber: 2)))
        {
            streamed.Add(entry.Decision.RequestId);
        }

        Assert.Equal((await store.QueryAsync(new DecisionQuery(Take: 100, ModelNumber: 2))).Items.Select(e => e.Decision.RequestId), streamed);
        Assert.Equal(10, streamed.Count);
    }

    [Fact]
    public async Task ReadForMonitoring_OneVersionInTimeOrder_WithOutcomes()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfDecisionStore(fixture.Contexts, TimeProvider.System);

        // Appended out of time order: monitoring must still read them in time order.
        await store.AppendAsync([Decision(2, Start.AddHours(2)), Decision(0, Start), Decision(1, Start.AddHours(1), number: 9), Decision(3, Start.AddHours(3)), Decision(4, Start.AddDays(2))]);
        await store.RecordOutcomesAsync([new OutcomeSubmission("req-3", false, Start), new OutcomeSubmission("req-0", true, Start)], "key:test");

        var read = new List<MonitoredDecision>();
        await foreach (var decision in store.ReadForMonitoringAsync(3, Start, Start.AddDays(1)))
        {
            read.Add(decision);
        }

        Assert.Equal([Start, Start.AddHours(2), Start.AddHours(3)], read.Select(d => d.At));
        Assert.Equal([true, null, false], read.Select(d => d.Defaulted));
        Assert.Equal(Decision(2, Start).FeatureValues(), read[1].Features);
        Assert.Equal((0.02, "APPROVE"), (read[1].DefaultProbability, read[1].Action));
    }

    [Fact]
    public async Task ReadJoined_EveryVersionInTimeOrder_WithShadowArmAndOutcome()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfDecisionStore(fixture.Contexts, TimeProvider.System);
        await store.AppendAsync([Decision(1, Start.AddHours(1), number: 9, shadow: true), Decision(0, Start), Decision(2, Start.AddHours(2), number: null), Decision(3, Start.AddDays(2))]);
        var observed = Start.AddHours(20);
        await store.RecordOutcomesAsync([new OutcomeSubmission("req-1", true, observed)], "key:test");

        var read = new List<JoinedDecision>();
        await foreach (var decision in store.ReadJoinedAsync(Start, Start.AddDays(1)))
        {
            read.Add(decision);
        }

        Assert.Equal(["req-0", "req-1", "req-2"], read.Select(d => d.RequestId));
        Assert.Equal([3, 9, (int?)null], read.Select(d => d.ModelNumber));
        Assert.Equal(3, read.Select(d => d.Id).Distinct().Count());
        var shadowed = read[1];
        Assert.Equal((4, 0.25, "REJECT", "champion", true, observed), (shadowed.ShadowNumber!.Value, shadowed.ShadowProbability!.Value, shadowed.ShadowAction, shadowed.ExperimentArm, shadowed.Defaulted!.Value, shadowed.ObservedAt!.Value));
        Assert.Equal((null, null, null, null, null, null), (read[0].ShadowNumber, read[0].ShadowProbability, read[0].ShadowAction, read[0].ExperimentArm, read[0].Defaulted, read[0].ObservedAt));
        Assert.Equal(Decision(1, Start).FeatureValues(), shadowed.Features);
        Assert.Equal((0.01, "APPROVE"), (shadowed.DefaultProbability, shadowed.Action));
    }

    [Fact]
    public async Task Prune_RemovesOldDecisionsAndTheirOutcomes()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfDecisionStore(fixture.Contexts, TimeProvider.System);
        await store.AppendAsync([Decision(0, Start), Decision(1, Start.AddDays(1)), Decision(2, Start.AddDays(2))]);
        await store.RecordOutcomesAsync([new("req-0", true, Start), new("req-2", false, Start)], "key:test");

        Assert.Equal(2, await store.PruneAsync(Start.AddDays(2)));

        var left = await store.QueryAsync(new DecisionQuery());
        Assert.Equal(["req-2"], left.Items.Select(e => e.Decision.RequestId));
        Assert.NotNull(left.Items[0].Outcome);
        await using var db = await fixture.Contexts.CreateDbContextAsync();
        Assert.Equal(["req-2"], await db.Outcomes.Select(o => o.RequestId).ToListAsync());
    }

    [Fact]
    public async Task RecordOutcomes_IsIdempotent_ReportsUnknownConflictAndInvalidPerItem()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfDecisionStore(fixture.Contexts, TimeProvider.System);
        await store.AppendAsync([Decision(0, Start), Decision(1, Start)]);
        var observed = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        var first = await store.RecordOutcomesAsync(
        [
            new("req-0", true, observed), new("nobody", true, observed), new("req-0", true, observed), new("req-0", false, observed),
            new("", true, observed), new("req-1", false, DateTimeOffset.UtcNow.AddHours(1)), new("req-1", false, observed),
        ], "key:lender");
        Assert.Equal(
            [OutcomeVerdict.Recorded, OutcomeVerdict.UnknownRequest, OutcomeVerdict.AlreadyRecorded, OutcomeVerdict.Conflict, OutcomeVerdict.Invalid, OutcomeVerdict.Invalid, OutcomeVerdict.Recorded],
            first.Select(r => r.Verdict));
        Assert.Equal(Enumerable.Range(0, 7), first.Select(r => r.Index));
        Assert.Contains("defaulted true", first[3].Message, StringComparison.Ordinal);
        Assert.Contains("key:lender", first[3].Message, StringComparison.Ordinal);
        Assert.StartsWith("request_id", first[4].Message, StringComparison.Ordinal);
        Assert.StartsWith("observed_at", first[5].Message, StringComparison.Ordinal);

        var again = await store.RecordOutcomesAsync([new("req-0", true, observed.ToOffset(TimeSpan.FromHours(2))), new("req-1", true, observed)], "key:other");
        Assert.Equal([OutcomeVerdict.AlreadyRecorded, OutcomeVerdict.Conflict], again.Select(r => r.Verdict));

        await using var db = await fixture.Contexts.CreateDbContextAsync();
        var stored = await db.Outcomes.AsNoTracking().OrderBy(o => o.RequestId).ToListAsync();
        Assert.Equal([("req-0", true, "key:lender"), ("req-1", false, "key:lender")], stored.Select(o => (o.RequestId, o.Defaulted, o.RecordedBy)));
        Assert.Equal(observed, stored[0].ObservedAt);
    }

    [Fact]
    public async Task RecordOutcomes_FindTimeOrderedIds_BatchItems_AndRowsStoredUnderTheOldHashKey()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfDecisionStore(fixture.Contexts, TimeProvider.System);
        var single = Guid.CreateVersion7().ToString("N");
        var item = $"{Guid.CreateVersion7()}-7"; // the dashed form, as a batch item "{id}-{index}"
        var legacy = Guid.CreateVersion7().ToString("N");
        await store.AppendAsync([Decision(0, Start, id: single), Decision(1, Start, id: item), Decision(2, Start, id: legacy)]);

        // A row written before time-ordered keys carries the plain hash of its id.
        await using (var db = await fixture.Contexts.CreateDbContextAsync())
        {
            var updated = await db.Database.ExecuteSqlRawAsync("UPDATE decisions SET request_key = {0} WHERE request_id = {1}", RequestKeys.Hash(legacy), legacy);
            Assert.Equal(1, updated);
            Assert.NotEqual(RequestKeys.Of(legacy), RequestKeys.Hash(legacy));
        }

        var reported = await store.RecordOutcomesAsync([new(single, true, Start), new(item, false, Start), new(legacy, true, Start), new(single[..31] + "0", true, Start)], "test");

        Assert.Equal([OutcomeVerdict.Recorded, OutcomeVerdict.Recorded, OutcomeVerdict.Recorded, OutcomeVerdict.UnknownRequest], reported.Select(r => r.Verdict));
    }

    [Fact]
    public async Task RecordOutcomes_TheSameSubmissionAtOnce_NeitherFails()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfDecisionStore(fixture.Contexts, TimeProvider.System);
        await store.AppendAsync([.. Enumerable.Range(0, 200).Select(i => Decision(i, Start))]);
        OutcomeSubmission[] outcomes = [.. Enumerable.Range(0, 200).Select(i => new OutcomeSubmission($"req-{i}", i % 7 == 0, Start))];

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => store.RecordOutcomesAsync(outcomes, "key:test"))));

        Assert.All(results, r => Assert.All(r, item => Assert.Contains(item.Verdict, new[] { OutcomeVerdict.Recorded, OutcomeVerdict.AlreadyRecorded })));
        Assert.Equal(200, results.Sum(r => r.Count(item => item.Verdict == OutcomeVerdict.Recorded)));
    }

    internal static DecisionRecord Decision(int i, DateTimeOffset at, int? number = 3, string action = "APPROVE", bool shadow = false, string? id = null) => new()
    {
        At = at,
        RequestId = id ?? $"req-{i}",
        Channel = DecisionChannels.Api,
        Caller = "key:test",
        ModelVersion = number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "fallback",
        ModelNumber = number,
        ModelSha256 = number is null ? string.Empty : new string('a', 64),
        PolicyVersion = 2,
        Features = [.. Enumerable.Range(0, 12).SelectMany(f => BitConverter.GetBytes(i * 100.0 + f + 0.5))],
        DefaultProbability = 0.01 * i,
        CreditScore = 700 - i,
        RiskLevel = "LOW",
        Action = action,
        DecisionReason = "Low risk",
        ReasonCodes = i % 2 == 0 ? string.Empty : "R03,R07",
        ReasonCatalogueVersion = "2026.1",
        IsFallback = number is null,
        ShadowVersion = shadow ? "4" : null,
        ShadowProbability = shadow ? 0.25 : null,
        ShadowAction = shadow ? "REJECT" : null,
        ShadowReasonCodes = shadow ? "R01" : null,
        ExperimentArm = shadow ? "champion" : null,
    };
}

public sealed class SqliteEfDecisionStoreTests : EfDecisionStoreTests
{
    protected override Task<RegistryFixture> CreateFixtureAsync() => RegistryFixture.CreateAsync();
}

public sealed class PostgresEfDecisionStoreTests(PostgresServerFixture server) : EfDecisionStoreTests, IClassFixture<PostgresServerFixture>
{
    protected override async Task<RegistryFixture> CreateFixtureAsync() => await RegistryFixture.CreateAsync(await server.CreateDatabaseAsync());
}

using LynqDashboard.Core.Monitoring;
using LynqDashboard.Infrastructure.Registry;
using LynqDashboard.Tests.Shared;

namespace LynqDashboard.Infrastructure.Tests.Monitoring;

/// <summary>Frozen bins stay frozen, snapshots come back whole and newest first, settings are upserted and listed by prefix.</summary>
public abstract class EfMonitoringStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    protected abstract Task<RegistryFixture> CreateFixtureAsync();

    [Fact]
    public async Task SaveBaseline_Twice_KeepsTheFirstBins()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfMonitoringStore(fixture.Contexts, TimeProvider.System);
        var first = Baseline(3, 0.02);

        await store.SaveBaselineAsync(first);
        await store.SaveBaselineAsync(Baseline(3, 0.5));

        var stored = await store.GetBaselineAsync(3);
        Assert.NotNull(stored);
        Assert.Equal(first.Score.Edges, stored.Score.Edges);
        Assert.Equal(first.Features["wallet_age_days"].Shares, stored.Features["wallet_age_days"].Shares);
        Assert.Equal((first.Rows, first.Source, first.ComputedAt), (stored.Rows, stored.Source, stored.ComputedAt));
        Assert.Null(await store.GetBaselineAsync(4));
    }

    [Fact]
    public async Task Snapshots_ComeBackWholeNewestFirst_PerVersion_AndTheFallbackApart()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfMonitoringStore(fixture.Contexts, TimeProvider.System);
        var older = Snapshot(3, Start, 0.04);
        var newer = Snapshot(3, Start.AddHours(1), 0.31) with
        {
            Alerts = [new MonitoringAlert(MonitoringAlertKind.Psi, "score", 0.31, 0.25, "The score PSI is 0.31.")],
        };
        var fallback = Snapshot(null, Start.AddMinutes(30), null);
        await store.AddSnapshotAsync(older);
        await store.AddSnapshotAsync(newer);
        await store.AddSnapshotAsync(fallback);
        await store.AddSnapshotAsync(Snapshot(4, Start.AddMinutes(10), 0.01));

        var latest = await store.LatestSnapshotAsync(3);
        Assert.NotNull(latest);
        Assert.Equal(newer.Id, latest.Id);
        Assert.Equal(newer.Alerts, latest.Alerts);
        Assert.Equal(newer.Days[0].Actions, latest.Days[0].Actions);
        Assert.Equal(newer.Vintages, latest.Vintages);
        Assert.Equal(newer.FeatureCsi, latest.FeatureCsi);
        Assert.Equal([newer.Id, older.Id], (await store.ListSnapshotsAsync(3)).Select(s => s.Id));
        Assert.Equal(fallback.Id, (await store.LatestSnapshotAsync(null))?.Id);
        Assert.Equal([3, null, 4], (await store.LatestPerVersionAsync()).Select(s => s.VersionNumber));
        Assert.Null(await store.LatestSnapshotAsync(9));
    }

    [Fact]
    public async Task Settings_AreUpserted_AndListedByPrefix()
    {
        await using var fixture = await CreateFixtureAsync();
        var store = new EfMonitoringStore(fixture.Contexts, TimeProvider.System);

        await store.SaveSettingAsync(new StoredSetting { Key = "monitoring.cron", Value = "0 * * * *", UpdatedBy = "admin@lynq" });
        await store.SaveSettingAsync(new StoredSetting { Key = "monitoring.cron", Value = "*/15 * * * *", UpdatedBy = "ops@lynq" });
        await store.SaveSettingAsync(new StoredSetting { Key = "ledger.dropped.a:1", Value = "5", UpdatedBy = "system" });
        await store.SaveSettingAsync(new StoredSetting { Key = "ledger.dropped.b:2", Value = "7", UpdatedBy = "system" });

        var cron = await store.GetSettingAsync("monitoring.cron");
        Assert.Equal(("*/15 * * * *", "ops@lynq"), (cron?.Value, cron?.UpdatedBy));
        Assert.Equal(["5", "7"], (await store.ListSettingsAsync("ledger.dropped.")).Select(s => s.Value));
        Assert.Null(await store.GetSettingAsync("nothing"));
    }

    private static MonitoringBaseline Baseline(int version, double firstEdge) => new(
        version, Start, "test split, 1,000 rows", 1000,
        new FrozenBins([firstEdge, 0.1], [0.5, 0.3, 0.2]),
        new Dictionary<string, FrozenBins> { ["wallet_age_days"] = new([90, 365], [0.2, 0.3, 0.5]) });

    private static MonitoringSnapshot Snapshot(int? version, DateTimeOffset at, double? psi) => new(
        Guid.NewGuid(), version, version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "rule-based-fallback", at, at.AddDays(-30), at,
        1200, 300, psi, new Dictionary<string, double> { ["wallet_age_days"] = 0.02 },
        [new DailyMix(at.Date, 1200, 0.061, new Dictionary<string, long> { ["APPROVE"] = 900, ["REJECT"] = 300 })],
        [new HourlyCount(at, 1200)],
        [new VintageBackTest(at.AddDays(-7), "week", 1200, 300, 21, 0.065, 0.07, 0.014, 0.81, 0.52)],
        [], new MonitoringThresholds(), 0.4);
}

public sealed class SqliteEfMonitoringStoreTests : EfMonitoringStoreTests
{
    protected override Task<RegistryFixture> CreateFixtureAsync() => RegistryFixture.CreateAsync();
}

public sealed class PostgresEfMonitoringStoreTests(PostgresServerFixture server) : EfMonitoringStoreTests, IClassFixture<PostgresServerFixture>
{
    protected override async Task<RegistryFixture> CreateFixtureAsync() => await RegistryFixture.CreateAsync(await server.CreateDatabaseAsync());
}

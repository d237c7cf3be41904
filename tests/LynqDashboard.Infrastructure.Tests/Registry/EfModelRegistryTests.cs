using LynqDashboard.Core;
using System.Diagnostics;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Tests.Shared;

namespace LynqDashboard.Infrastructure.Tests.Registry;

/// <summary>The registry's contract, run on each database it supports.</summary>
public abstract class EfModelRegistryTests(ITestOutputHelper output)
{
    /// <summary>A fresh, migrated registry on the database under test.</summary>
    protected abstract Task<RegistryFixture> CreateFixtureAsync();

    [Fact]
    public async Task AddVersion_RoundTripsEveryField()
    {
        await using var fixture = await CreateFixtureAsync();
        var created = new DateTimeOffset(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);
        var version = await fixture.Registry.AddVersionAsync(new ModelVersionRecord
        {
            DatasetId = Guid.NewGuid(),
            Parameters = new TrainingParameters(TrainerKind.LightGbm, Trees: 77, Threshold: 0.3),
            Status = VersionStatus.Ready,
            RocAuc = 0.81,
            LeakageSuspects = "reputation_score",
            Artifacts = [new ArtifactEntry("model.zip", "abc", 12)],
            Progress = new JobProgress { Stage = "training", Fraction = 0.5, Done = 38, Total = 77, UpdatedAt = created },
            Tags = "baseline,q4",
            CreatedAt = created,
        }, TestContext.Current.CancellationToken);

        var loaded = await fixture.Registry.GetVersionAsync(version.Id, TestContext.Current.CancellationToken);

        Assert.NotNull(loaded);
        Assert.Equal(1, loaded.Number);
        Assert.Equal(new TrainingParameters(TrainerKind.LightGbm, Trees: 77, Threshold: 0.3), loaded.Parameters);
        Assert.Equal(VersionStatus.Ready, loaded.Status);
        Assert.Equal(0.81, loaded.RocAuc);
        Assert.Equal([new ArtifactEntry("model.zip", "abc", 12)], loaded.Artifacts);
        Assert.Equal(("training", 0.5, 38L, 77L), (loaded.Progress.Stage, loaded.Progress.Fraction, loaded.Progress.Done, loaded.Progress.Total));
        Assert.Equal(created, loaded.CreatedAt);
        Assert.Equal(created, loaded.Progress.UpdatedAt);
    }

    [Fact]
    public async Task AddVersion_TwentyAtOnce_NumbersOneToTwenty()
    {
        await using var fixture = await CreateFixtureAsync();

        var versions = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            fixture.Registry.AddVersionAsync(new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters() })));

        Assert.Equal(Enumerable.Range(1, 20), versions.Select(v => v.Number).Order());
    }

    [Fact]
    public async Task QueryVersions_SortsSearchesFiltersAndPages()
    {
        await using var fixture = await CreateFixtureAsync();
        double?[] aucs = [0.70, null, 0.90, 0.80, null];
        foreach (var (auc, i) in aucs.Select((a, i) => (a, i)))
        {
            await fixture.Registry.AddVersionAsync(new ModelVersionRecord
            {
                DatasetId = Guid.NewGuid(),
                Parameters = new TrainingParameters(),
                RocAuc = auc,
                Status = auc is null ? VersionStatus.Failed : VersionStatus.Ready,
                Tags = i == 3 ? "champion" : string.Empty,
                Notes = i == 0 ? "First try with 50% rows" : string.Empty,
            });
        }

        var byAuc = await fixture.Registry.QueryVersionsAsync(new VersionQuery(SortBy: "roc_auc", Descending: true), TestContext.Current.CancellationToken);
        Assert.Equal([3, 4, 1, 5, 2], byAuc.Items.Select(v => v.Number));
        var ascending = await fixture.Registry.QueryVersionsAsync(new VersionQuery(SortBy: "roc_auc", Descending: false), TestContext.Current.CancellationToken);
        Assert.Equal([1, 4, 3], ascending.Items.Take(3).Select(v => v.Number));

        Assert.Equal([3], (await fixture.Registry.QueryVersionsAsync(new VersionQuery(Search: "v3"), TestContext.Current.CancellationToken)).Items.Select(v => v.Number));
        Assert.Equal([4], (await fixture.Registry.QueryVersionsAsync(new VersionQuery(Search: "CHAMP"), TestContext.Current.CancellationToken)).Items.Select(v => v.Number));
        Assert.Equal([1], (await fixture.Registry.QueryVersionsAsync(new VersionQuery(Search: "50%"), TestContext.Current.CancellationToken)).Items.Select(v => v.Number));
        Assert.Equal(2, (await fixture.Registry.QueryVersionsAsync(new VersionQuery(Status: VersionStatus.Failed), TestContext.Current.CancellationToken)).TotalCount);

        var page = await fixture.Registry.QueryVersionsAsync(new VersionQuery(Skip: 2, Take: 2), TestContext.Current.CancellationToken);
        Assert.Equal(5, page.TotalCount);
        Assert.Equal([3, 2], page.Items.Select(v => v.Number));
    }

    [Fact]
    public async Task DeleteVersion_Production_IsRefusedAndKept()
    {
        await using var fixture = await CreateFixtureAsync();
        var version = await fixture.Registry.AddVersionAsync(new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), Status = VersionStatus.Production });

        var error = await Assert.ThrowsAsync<LynqException>(() => fixture.Registry.DeleteVersionAsync(version.Id));

        Assert.Contains("production", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await fixture.Registry.GetVersionAsync(version.Id, TestContext.Current.CancellationToken));
        Assert.False(await fixture.Registry.DeleteVersionAsync(Guid.NewGuid(), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task MarkInterrupted_FlipsOnlyUnfinishedRecords()
    {
        await using var fixture = await CreateFixtureAsync();
        var running = await fixture.Registry.AddVersionAsync(new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), Status = VersionStatus.Running });
        var ready = await fixture.Registry.AddVersionAsync(new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), Status = VersionStatus.Ready });
        var generating = await fixture.Registry.AddDatasetAsync(new DatasetRecord { Name = "d", Status = DatasetStatus.Generating });

        var count = await fixture.Registry.MarkInterruptedAsync("The dashboard restarted.", TestContext.Current.CancellationToken);

        Assert.Equal(2, count);
        var interrupted = await fixture.Registry.GetVersionAsync(running.Id, TestContext.Current.CancellationToken);
        Assert.Equal(VersionStatus.Interrupted, interrupted!.Status);
        Assert.Equal("The dashboard restarted.", interrupted.Error);
        Assert.Equal(VersionStatus.Ready, (await fixture.Registry.GetVersionAsync(ready.Id, TestContext.Current.CancellationToken))!.Status);
        Assert.Equal(DatasetStatus.Interrupted, (await fixture.Registry.GetDatasetAsync(generating.Id, TestContext.Current.CancellationToken))!.Status);
    }

    [Fact]
    public async Task QueryVersions_ThousandVersions_ReportsItsTime()
    {
        await using var fixture = await CreateFixtureAsync();
        for (var i = 0; i < 1_000; i++)
        {
            await fixture.Registry.AddVersionAsync(new ModelVersionRecord
            {
                DatasetId = Guid.NewGuid(),
                Parameters = new TrainingParameters(),
                Status = VersionStatus.Ready,
                RocAuc = 0.7 + ((i * 7919 % 1000) / 5000.0),
            });
        }

        var clock = Stopwatch.StartNew();
        var page = await fixture.Registry.QueryVersionsAsync(new VersionQuery(SortBy: "roc_auc", Take: 50), TestContext.Current.CancellationToken);
        output.WriteLine($"1,000 versions: sorted page of 50 in {clock.Elapsed.TotalMilliseconds:F1} ms");

        Assert.Equal(1_000, page.TotalCount);
        Assert.Equal(page.Items.Select(v => v.RocAuc).OrderDescending(), page.Items.Select(v => v.RocAuc));
    }
}

public sealed class SqliteRegistryTests(ITestOutputHelper output) : EfModelRegistryTests(output)
{
    protected override Task<RegistryFixture> CreateFixtureAsync() => RegistryFixture.CreateAsync();
}

public sealed class PostgresRegistryTests(PostgresServerFixture server, ITestOutputHelper output) : EfModelRegistryTests(output), IClassFixture<PostgresServerFixture>
{
    protected override async Task<RegistryFixture> CreateFixtureAsync() => await RegistryFixture.CreateAsync(await server.CreateDatabaseAsync());
}

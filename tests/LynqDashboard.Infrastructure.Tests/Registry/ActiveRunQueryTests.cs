using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Training;
using LynqDashboard.Infrastructure.Registry;
using LynqDashboard.Tests.Shared;

namespace LynqDashboard.Infrastructure.Tests.Registry;

/// <summary>
/// The queries that run in SQL (active runs, crash recovery at start-up, the one-active-promotion-per-bucket index)
/// take exactly the records the one definition of an active run names, for every status value, on each database.
/// </summary>
public abstract class ActiveRunQueryTests
{
    protected abstract Task<RegistryFixture> CreateFixtureAsync();

    [Fact]
    public async Task DatasetsAndVersions_ActiveInSql_AreExactlyTheOnesWhoseRunIsActive()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await CreateFixtureAsync();
        var registry = fixture.Registry;
        var datasets = new Dictionary<Guid, DatasetStatus>();
        foreach (var status in Enum.GetValues<DatasetStatus>())
        {
            datasets[(await registry.AddDatasetAsync(new DatasetRecord { Name = $"{status}", Status = status }, ct)).Id] = status;
        }

        var versions = new Dictionary<Guid, VersionStatus>();
        foreach (var status in Enum.GetValues<VersionStatus>())
        {
            versions[(await registry.AddVersionAsync(new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), Status = status }, ct)).Id] = status;
        }

        var active = await registry.ListActiveRunsAsync(ct);
        Assert.Equal(datasets.Where(d => d.Value.IsActive()).Select(d => d.Key).Order(), active.Datasets.Select(d => d.Id).Order());
        Assert.Equal(versions.Where(v => v.Value.IsActive()).Select(v => v.Key).Order(), active.Versions.Select(v => v.Id).Order());

        // Start-up crash recovery (in-memory jobs) ends exactly the active ones, the way the lifecycle would.
        Assert.Equal(active.Datasets.Count + active.Versions.Count, await registry.MarkInterruptedAsync("stopped", ct));
        foreach (var (id, before) in datasets)
        {
            var after = (await registry.GetDatasetAsync(id, ct))!;
            Assert.Equal(before.IsActive() ? (DatasetStatus.Interrupted, "stopped", "interrupted") : (before, null, "queued"), (after.Status, after.Error, after.Progress.Stage));
        }

        foreach (var (id, before) in versions)
        {
            var after = (await registry.GetVersionAsync(id, ct))!;
            Assert.Equal(before.IsActive() ? (VersionStatus.Interrupted, "stopped", "interrupted") : (before, null, "queued"), (after.Status, after.Error, after.Progress.Stage));
        }

        Assert.Equal(0, await registry.MarkInterruptedAsync("again", ct));
    }

    [Fact]
    public async Task Promotions_ActiveInSqlAndInTheOnePerBucketIndex_AreExactlyTheOnesWhoseRunIsActive()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await CreateFixtureAsync();
        var promotions = new EfPromotionRegistry(fixture.Contexts, TimeProvider.System);
        var first = new Dictionary<Guid, PromotionStatus>();
        foreach (var status in Enum.GetValues<PromotionStatus>())
        {
            first[(await promotions.AddPromotionAsync(Promotion(status), ct)).Id] = status;

            // A second record in the same state and bucket: the index refuses it exactly when both are active.
            if (status.IsActive())
            {
                await Assert.ThrowsAsync<PromotionConflictException>(() => promotions.AddPromotionAsync(Promotion(status), ct));
            }
            else
            {
                await promotions.AddPromotionAsync(Promotion(status), ct);
            }
        }

        var active = await promotions.ListActivePromotionsAsync(ct);
        Assert.Equal(first.Where(p => p.Value.IsActive()).Select(p => p.Key).Order(), active.Select(p => p.Id).Order());
        Assert.Equal(active.Count, await promotions.MarkPromotionsInterruptedAsync("stopped", ct));
        foreach (var promotion in active)
        {
            Assert.Equal(PromotionStatus.Interrupted, (await promotions.GetPromotionAsync(promotion.Id, ct))!.Status);
        }

        Assert.Empty(await promotions.ListActivePromotionsAsync(ct));
    }

    private static PromotionRecord Promotion(PromotionStatus status) => new()
    {
        Status = status, VersionId = Guid.NewGuid(), VersionNumber = 1, Bucket = $"bucket-{status}".ToLowerInvariant(), KeyPrefix = "models/credit_model_v1",
        PointerKey = PromotionLayout.DefaultPointerKey, RequestedBy = "approver@lynq.test",
    };
}

public sealed class SqliteActiveRunQueryTests : ActiveRunQueryTests
{
    protected override Task<RegistryFixture> CreateFixtureAsync() => RegistryFixture.CreateAsync();
}

public sealed class PostgresActiveRunQueryTests(PostgresServerFixture server) : ActiveRunQueryTests, IClassFixture<PostgresServerFixture>
{
    protected override async Task<RegistryFixture> CreateFixtureAsync() => await RegistryFixture.CreateAsync(await server.CreateDatabaseAsync());
}

using LynqDashboard.Core;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Infrastructure.Registry;
using LynqDashboard.Tests.Shared;

namespace LynqDashboard.Infrastructure.Tests.Promotion;

/// <summary>
/// Requests that arrive at the same moment for one bucket, on each database the registry supports: the database
/// lets exactly one become active, so two can never start from the same production version.
/// </summary>
public abstract class ConcurrentPromotionTests(ITestOutputHelper output)
{
    private const int Rounds = 15;

    protected abstract Task<RegistryFixture> CreateFixtureAsync();

    [Fact]
    public async Task PromoteAsync_TwoAtTheSameMoment_ExactlyOneIsQueued_TheOtherIsToldToWait()
    {
        await using var fixture = await CreateFixtureAsync();
        var promotions = new EfPromotionRegistry(fixture.Contexts, TimeProvider.System);
        await ReadyVersionAsync(fixture);
        await ReadyVersionAsync(fixture);

        var decidedByTheDatabase = 0;

        // Each round on a fresh bucket: both requests are released together, so both pass the quick look for an
        // active promotion before either is stored, and only the database can tell them apart.
        for (var round = 0; round < Rounds; round++)
        {
            var commands = new PromotionCommands(fixture.Registry, promotions, promotions, new NullScheduler(), new PromotionTarget($"race-{round}"), TimeProvider.System);
            var go = new TaskCompletionSource();
            var requests = new[] { 1, 2 }.Select(number => Task.Run(async () =>
            {
                await go.Task;
                return await commands.PromoteAsync(number, $"approver{number}@lynq.test");
            }, TestContext.Current.CancellationToken)).ToList();
            go.SetResult();
            var outcomes = await Task.WhenAll(requests.Select(Settle));

            var queued = Assert.Single(outcomes, o => o.Record is not null);
            var refused = Assert.Single(outcomes, o => o.Error is not null);
            Assert.Equal(ProblemKind.Conflict, Assert.IsAssignableFrom<LynqException>(refused.Error).Kind);
            Assert.Contains("is still queued", refused.Error!.Message, StringComparison.Ordinal);
            Assert.Contains("wait for it to finish", refused.Error.Message, StringComparison.Ordinal);
            var active = (await promotions.ListActivePromotionsAsync(TestContext.Current.CancellationToken)).Where(p => p.Bucket == $"race-{round}").ToList();
            Assert.Equal(queued.Record!.Id, Assert.Single(active).Id);
            decidedByTheDatabase += refused.Error is PromotionConflictException || refused.Error.InnerException is PromotionConflictException ? 1 : 0;
        }

        // The race was real: in some rounds both requests got past the quick look and the index refused one.
        output.WriteLine($"{decidedByTheDatabase} of {Rounds} rounds were decided by the database's one-active-per-bucket index");
        Assert.True(decidedByTheDatabase > 0, "no round raced past the quick look; the test did not exercise the database rule");
    }

    [Fact]
    public async Task AddPromotion_SecondActiveForABucket_IsRefused_ButFinishedOnesAndOtherBucketsAreNot()
    {
        await using var fixture = await CreateFixtureAsync();
        var promotions = new EfPromotionRegistry(fixture.Contexts, TimeProvider.System);
        var version = await ReadyVersionAsync(fixture);

        await promotions.AddPromotionAsync(Record(version, "bucket-a", PromotionStatus.Succeeded));
        await promotions.AddPromotionAsync(Record(version, "bucket-a", PromotionStatus.Failed));
        var running = await promotions.AddPromotionAsync(Record(version, "bucket-a", PromotionStatus.Running));
        await promotions.AddPromotionAsync(Record(version, "bucket-b", PromotionStatus.Queued));

        var conflict = await Assert.ThrowsAsync<PromotionConflictException>(() => promotions.AddPromotionAsync(Record(version, "bucket-a", PromotionStatus.Queued)));
        Assert.Equal("bucket-a", conflict.Bucket);

        // Once the active one ends, the bucket takes the next request.
        await promotions.UpdatePromotionAsync(running.Id, p => p.Status = PromotionStatus.Interrupted);
        await promotions.AddPromotionAsync(Record(version, "bucket-a", PromotionStatus.Queued));
        Assert.Equal(2, (await promotions.ListActivePromotionsAsync()).Count);
    }

    private static async Task<(PromotionRecord? Record, Exception? Error)> Settle(Task<PromotionRecord> request)
    {
        try
        {
            return (await request, null);
        }
        catch (LynqException e)
        {
            return (null, e);
        }
    }

    private static Task<ModelVersionRecord> ReadyVersionAsync(RegistryFixture fixture) =>
        fixture.Registry.AddVersionAsync(new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), Status = VersionStatus.Ready });

    private static PromotionRecord Record(ModelVersionRecord version, string bucket, PromotionStatus status) => new()
    {
        Status = status, VersionId = version.Id, VersionNumber = version.Number, Bucket = bucket, KeyPrefix = "models/credit_model_v1",
        PointerKey = PromotionLayout.DefaultPointerKey, RequestedBy = "test@lynq.test",
    };
}

public sealed class SqliteConcurrentPromotionTests(ITestOutputHelper output) : ConcurrentPromotionTests(output)
{
    protected override Task<RegistryFixture> CreateFixtureAsync() => RegistryFixture.CreateAsync();
}

public sealed class PostgresConcurrentPromotionTests(PostgresServerFixture server, ITestOutputHelper output) : ConcurrentPromotionTests(output), IClassFixture<PostgresServerFixture>
{
    protected override async Task<RegistryFixture> CreateFixtureAsync() => await RegistryFixture.CreateAsync(await server.CreateDatabaseAsync());
}

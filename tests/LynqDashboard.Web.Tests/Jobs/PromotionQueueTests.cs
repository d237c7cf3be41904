using LynqDashboard.Core.Data;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Web.Tests.ScaleOut;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Jobs;

/// <summary>
/// A rollback during an incident, while the only training worker (Lynq:Workers = 1) is busy with a long real
/// FastTree training: it runs on the promotion queue's own worker and finishes while the training still runs.
/// </summary>
public abstract class PromotionQueueTests(ITestOutputHelper output)
{
    protected abstract S3ServerFixture S3 { get; }

    /// <summary>The storage keys of the host under test (none for the embedded default).</summary>
    protected abstract Task<Dictionary<string, string>> StorageSettingsAsync();

    [Fact]
    public async Task Rollback_WhileTheOnlyTrainingWorkerIsBusy_StartsWithinSecondsAndFinishesBeforeTheTraining()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "test");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "test");
        var bucket = $"queue-{Guid.NewGuid():N}"[..24];
        using (var s3 = S3.CreateClient())
        {
            await s3.PutBucketAsync(bucket, TestContext.Current.CancellationToken);
        }

        var settings = await StorageSettingsAsync();
        settings["Lynq:Workers"] = "1";
        settings["Lynq:Promotion:Bucket"] = bucket;
        settings["Lynq:S3:ServiceUrl"] = S3.ServiceUrl;
        settings["Lynq:S3:ForcePathStyle"] = "true";
        settings["Lynq:Promotion:Gates:MinRocAuc"] = "0.6";
        settings["Lynq:Promotion:Gates:MaxCalibrationError"] = "0.2";
        await using var dashboard = new DashboardFactory { Settings = settings };
        _ = dashboard.Server;
        var registry = dashboard.Services.GetRequiredService<IModelRegistry>();
        var commands = dashboard.Services.GetRequiredService<RegistryCommands>();
        var promotions = dashboard.Services.GetRequiredService<PromotionCommands>();
        var records = dashboard.Services.GetRequiredService<IPromotionRegistry>();

        // Production history v1 → v2, so there is something to roll back to.
        var (small, first) = await commands.GenerateAndTrainAsync(new DatasetParameters(10_000, 11), new TrainingParameters(Trees: 20));
        var second = await commands.TrainAsync(small.Id, new TrainingParameters(Trees: 30, Seed: 3));
        // Both: with one worker, v2's training may run before v1's, which waits for the dataset.
        await Eventually.WaitForAsync(() => registry.GetVersionAsync(first.Id), v => v.Status == VersionStatus.Ready, TimeSpan.FromSeconds(120), "v1");
        await Eventually.WaitForAsync(() => registry.GetVersionAsync(second.Id), v => v.Status == VersionStatus.Ready, TimeSpan.FromSeconds(120), "v2");
        foreach (var number in new[] { 1, 2 })
        {
            var queued = await promotions.PromoteAsync(number, "approver@lynq.test", cancellationToken: TestContext.Current.CancellationToken);
            var done = await Eventually.WaitForAsync(() => records.GetPromotionAsync(queued.Id), p => !p.Status.IsActive(), TimeSpan.FromSeconds(60), queued.Label);
            Assert.Equal(PromotionStatus.Succeeded, done.Status);
        }

        // The incident: a long training holds the only training worker.
        var (_, training) = await commands.GenerateAndTrainAsync(new DatasetParameters(50_000, 5), new TrainingParameters(Trees: 5_000));
        var busy = await Eventually.WaitForAsync(() => registry.GetVersionAsync(training.Id), v => v.Status == VersionStatus.Running && v.Progress.Done >= 3, TimeSpan.FromSeconds(120), "the long training");
        var runningFor = DateTimeOffset.UtcNow - busy.StartedAt!.Value;

        var rollback = await promotions.RollbackAsync("oncall@lynq.test", TestContext.Current.CancellationToken);
        var started = await Eventually.WaitForAsync(() => records.GetPromotionAsync(rollback.Id), p => p.StartedAt is not null, TimeSpan.FromSeconds(60), "the rollback to start");
        var finished = await Eventually.WaitForAsync(() => records.GetPromotionAsync(rollback.Id), p => !p.Status.IsActive(), TimeSpan.FromSeconds(60), "the rollback to finish");
        var trainingAfter = (await registry.GetVersionAsync(training.Id))!;

        var waited = started.StartedAt!.Value - rollback.CreatedAt;
        output.WriteLine($"rollback waited {waited.TotalSeconds:0.00} s behind a training running for {runningFor.TotalSeconds:0.0} s " +
            $"({busy.Progress.Done} of 5000 trees); it took {(finished.FinishedAt!.Value - started.StartedAt!.Value).TotalSeconds:0.00} s; the training was at {trainingAfter.Progress.Done} trees");
        Assert.Equal(PromotionStatus.Succeeded, finished.Status);
        Assert.True(waited < TimeSpan.FromSeconds(5), $"the rollback waited {waited.TotalSeconds:0.0} s to start");
        Assert.Equal(VersionStatus.Running, trainingAfter.Status);
        Assert.Equal(VersionStatus.Production, (await registry.GetVersionByNumberAsync(1))!.Status);

        await commands.CancelVersionAsync(training.Id, TestContext.Current.CancellationToken);
        await Eventually.WaitForAsync(() => registry.GetVersionAsync(training.Id), v => !v.Status.IsActive(), TimeSpan.FromSeconds(30), "the training to stop");
    }
}

[Collection(AppHostCollection.Name)]
public sealed class EmbeddedPromotionQueueTests(S3ServerFixture server, ITestOutputHelper output) : PromotionQueueTests(output), IClassFixture<S3ServerFixture>
{
    protected override S3ServerFixture S3 => server;

    protected override Task<Dictionary<string, string>> StorageSettingsAsync() => Task.FromResult(new Dictionary<string, string>());
}

/// <summary>The same on PostgreSQL job storage (Hangfire's PostgreSQL queues) with artifacts in a bucket.</summary>
[Collection(AppHostCollection.Name)]
public sealed class PostgresPromotionQueueTests(ScaleOutServers servers, ITestOutputHelper output) : PromotionQueueTests(output), IClassFixture<ScaleOutServers>
{
    protected override S3ServerFixture S3 => servers.S3;

    protected override async Task<Dictionary<string, string>> StorageSettingsAsync()
    {
        var artifacts = $"artifacts-{Guid.NewGuid():N}"[..24];
        using (var s3 = servers.S3.CreateClient())
        {
            await s3.PutBucketAsync(artifacts);
        }

        return new Dictionary<string, string>
        {
            ["Lynq:Storage:Provider"] = "PostgreSQL", ["Lynq:Storage:ConnectionString"] = await servers.Postgres.CreateDatabaseAsync(),
            ["Lynq:Storage:ArtifactBucket"] = artifacts,
        };
    }
}

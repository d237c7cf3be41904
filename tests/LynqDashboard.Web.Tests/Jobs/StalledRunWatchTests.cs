using System.Collections.Concurrent;
using Hangfire;
using Hangfire.States;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Jobs;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Web.Tests.Jobs;

/// <summary>Runs whose Hangfire job vanished, found by the periodic sweep of a real host with real Hangfire.</summary>
[Collection(AppHostCollection.Name)]
public sealed class StalledRunWatchTests
{
    [Fact]
    public async Task QueuedPromotion_ItsJobDeletedThroughHangfire_BecomesInterruptedWithinTheRecoveryInterval()
    {
        await using var factory = new DashboardFactory { Settings = { ["Lynq:Jobs:RecoverySeconds"] = "1", ["Lynq:Jobs:QueuedWithoutJobSeconds"] = "60" } };
        _ = factory.Server;
        var jobs = factory.Services.GetRequiredService<IBackgroundJobClient>();
        var records = factory.Services.GetRequiredService<IPromotionRegistry>();
        var audit = factory.Services.GetRequiredService<IAuditLog>();
        var version = await factory.Services.GetRequiredService<IModelRegistry>().AddVersionAsync(
            new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), Status = VersionStatus.Ready });

        // Three queued promotions: one whose job waits (scheduled for later), one whose job a person deletes,
        // one that never got a job (its process stopped while queuing it, long ago).
        var waiting = await QueueAsync(records, jobs, version, "waiting");
        var deleted = await QueueAsync(records, jobs, version, "deleted");
        var unscheduled = await records.AddPromotionAsync(Record(version, "unscheduled", DateTimeOffset.UtcNow.AddMinutes(-5)));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(jobs.Delete(deleted.JobId));
        var interrupted = await Eventually.WaitForAsync(() => records.GetPromotionAsync(deleted.Id), p => !p.Status.IsActive(), TimeSpan.FromSeconds(10), "the recovery");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"recovery took {clock.Elapsed.TotalSeconds:0.0} s with a 1 s interval");
        Assert.Equal(PromotionStatus.Interrupted, interrupted.Status);
        Assert.Contains($"Its job {deleted.JobId} was deleted", interrupted.Error, StringComparison.Ordinal);
        Assert.EndsWith("Retry it.", interrupted.Error, StringComparison.Ordinal);
        var lost = await Eventually.WaitForAsync(() => records.GetPromotionAsync(unscheduled.Id), p => !p.Status.IsActive(), TimeSpan.FromSeconds(10), "the unscheduled one");
        Assert.Contains("never handed to a job runner", lost.Error, StringComparison.Ordinal);
        Assert.Equal(2, (await audit.ListAsync(cancellationToken: TestContext.Current.CancellationToken)).Count(a => a.Action == "promotion.interrupted"));

        // The one whose job will still run is left alone, sweep after sweep.
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
        Assert.Equal(PromotionStatus.Queued, (await records.GetPromotionAsync(waiting.Id))!.Status);
    }

    [Fact]
    public async Task HangfireJobInspector_ReadsEachFateFromRealHangfire()
    {
        await using var factory = new DashboardFactory();
        _ = factory.Server;
        var jobs = factory.Services.GetRequiredService<IBackgroundJobClient>();
        var inspector = factory.Services.GetRequiredService<IJobInspector>();
        var storage = factory.Services.GetRequiredService<JobStorage>();
        string Later() => jobs.Schedule<PromoteVersionJob>(job => job.RunAsync(Guid.NewGuid(), null, CancellationToken.None), TimeSpan.FromHours(1));

        var scheduled = Later();
        var deleted = Later();
        jobs.Delete(deleted);
        var failed = Later();
        jobs.ChangeState(failed, new FailedState(new TimeoutException("lock")));
        var succeeded = Later();
        jobs.ChangeState(succeeded, new SucceededState(null, 1, 1));
        var liveServer = storage.GetMonitoringApi().Servers().First().Name;
        var running = Later();
        jobs.ChangeState(running, new ProcessingOn(liveServer));
        var orphaned = Later();
        jobs.ChangeState(orphaned, new ProcessingOn("gone-host:4242:0b4e2a57-5d7c-4a0e-9f3a-1c2d3e4f5a6b"));

        Assert.Equal(
            [JobFate.Waiting, JobFate.Deleted, JobFate.Failed, JobFate.Succeeded, JobFate.Running, JobFate.Orphaned, JobFate.Missing],
            await Task.WhenAll(new[] { scheduled, deleted, failed, succeeded, running, orphaned, Guid.NewGuid().ToString() }.Select(id => inspector.InspectAsync(id, TestContext.Current.CancellationToken))));
    }

    [Fact]
    public async Task Start_WithLeftoversOfAKilledProcess_RemovesThemLogsHowManyAndKeepsCompleteVersions()
    {
        var data = Path.Combine(Path.GetTempPath(), "lynq-web-tests", Guid.NewGuid().ToString("N"));
        var complete = Path.Combine(data, "models", "v1");
        Directory.CreateDirectory(complete);
        await File.WriteAllTextAsync(Path.Combine(complete, "model.zip"), "kept", TestContext.Current.CancellationToken);
        string[] leftovers =
        [
            Path.Combine(data, "models", $".v2.{Guid.NewGuid():N}.tmp"),
            Path.Combine(data, "models", $"v3.{Guid.NewGuid():N}.fetch"),
            Path.Combine(data, "models", $"v1.{Guid.NewGuid():N}.old"),
        ];
        foreach (var folder in leftovers)
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "model.zip"), "partial", TestContext.Current.CancellationToken);
        }

        var partialCsv = Path.Combine(data, "datasets", $"{Guid.NewGuid():N}.csv.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(partialCsv)!);
        await File.WriteAllTextAsync(partialCsv, "wallet_age_days,", TestContext.Current.CancellationToken);

        var lines = new ConcurrentQueue<string>();
        await using var factory = new DashboardFactory { DataDirectoryOverride = data };
        using var host = factory.WithWebHostBuilder(builder => builder.ConfigureServices(services => services.AddLogging(logging => logging.AddProvider(new CollectingProvider(lines)).AddFilter<CollectingProvider>(null, LogLevel.Information))));
        _ = host.Server;

        Assert.All(leftovers.Append(partialCsv), path => Assert.False(Path.Exists(path), path));
        Assert.Equal("kept", await File.ReadAllTextAsync(Path.Combine(complete, "model.zip"), TestContext.Current.CancellationToken));
        Assert.Contains(lines, line => line.Contains("Removed 4 half-written folder(s) or file(s)", StringComparison.Ordinal));
    }

    private static async Task<PromotionRecord> QueueAsync(IPromotionRegistry records, IBackgroundJobClient jobs, ModelVersionRecord version, string bucket)
    {
        // A job that exists but has not started: what a promotion waiting for its worker looks like.
        var record = await records.AddPromotionAsync(Record(version, bucket, DateTimeOffset.UtcNow));
        var jobId = jobs.Schedule<PromoteVersionJob>(job => job.RunAsync(record.Id, null, CancellationToken.None), TimeSpan.FromHours(1));
        return (await records.UpdatePromotionAsync(record.Id, p => p.JobId = jobId))!;
    }

    private static PromotionRecord Record(ModelVersionRecord version, string bucket, DateTimeOffset createdAt) => new()
    {
        VersionId = version.Id, VersionNumber = version.Number, Bucket = bucket, KeyPrefix = "models/credit_model_v1",
        PointerKey = PromotionLayout.DefaultPointerKey, RequestedBy = "approver@lynq.test", CreatedAt = createdAt,
    };

    // Hangfire's own ProcessingState is only made by its workers; this stores the same state name and data.
    private sealed class ProcessingOn(string serverId) : IState
    {
        public string Name => ProcessingState.StateName;

        public string Reason => "test";

        public bool IsFinal => false;

        public bool IgnoreJobLoadException => false;

        public Dictionary<string, string> SerializeData() => new() { ["ServerId"] = serverId, ["WorkerId"] = "worker-1" };
    }
}

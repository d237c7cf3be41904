using LynqDashboard.Core;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Training;
using LynqDashboard.Infrastructure.Registry;

namespace LynqDashboard.Infrastructure.Tests.Runs;

/// <summary>Each transition of the one run lifecycle, on the real SQLite registry, with a scheduler that only records.</summary>
public sealed class RunLifecycleTests : IAsyncLifetime
{
    private readonly RecordingScheduler _scheduler = new();
    private readonly RecordingPublisher _publisher = new();
    private readonly RunCancellations _cancellations = new();
    private RegistryFixture _fixture = null!;

    public async ValueTask InitializeAsync() => _fixture = await RegistryFixture.CreateAsync();

    public async ValueTask DisposeAsync() => await _fixture.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Queue_StoresTheRunQueuedWithItsJob()
    {
        var runs = Versions();

        var queued = await runs.QueueAsync(NewVersion(trees: 30), afterJobId: "job-generation", Ct);

        var stored = (await _fixture.Registry.GetVersionAsync(queued.Id, Ct))!;
        Assert.Equal((VersionStatus.Queued, "queued", 30L), (stored.Status, stored.Progress.Stage, stored.Progress.Total));
        Assert.Equal((_scheduler.Jobs[^1].Id, queued.Id, "job-generation"), (stored.JobId!, _scheduler.Jobs[^1].Record, _scheduler.Jobs[^1].After));
    }

    [Fact]
    public async Task Run_WorkThatFinishes_IsRunningWhileItWorks_ThenSucceedsWithItsResults()
    {
        var runs = Datasets();
        var dataset = await runs.QueueAsync(new DatasetRecord { Name = "loans", RequestedRows = 10 }, cancellationToken: Ct);
        DatasetRecord? during = null;

        await runs.RunAsync(dataset, async (relay, token) =>
        {
            during = await _fixture.Registry.GetDatasetAsync(dataset.Id, token);
            relay.Report("generating", 0.5, 5, 10);
            return d => d.RowCount = 10;
        }, Ct);

        Assert.Equal(DatasetStatus.Generating, during!.Status);
        Assert.NotNull(during.StartedAt);
        var done = (await _fixture.Registry.GetDatasetAsync(dataset.Id, Ct))!;
        Assert.Equal((DatasetStatus.Ready, 10L, "ready", 1.0, (string?)null), (done.Status, done.RowCount!.Value, done.Progress.Stage, done.Progress.Fraction, done.Error));
        Assert.NotNull(done.FinishedAt);
        Assert.Contains(_publisher.Updates, u => u is { State: RunState.Running, Status: "Generating", IsFinished: false } && u.Progress.Done == 5);
        var last = _publisher.Updates[^1];
        Assert.Equal((RunKind.Dataset, RunState.Succeeded, "Ready", "loans", true), (last.Kind, last.State, last.Status, last.Label, last.IsFinished));
    }

    [Fact]
    public async Task Run_WorkThatThrows_FailsWithTheReason_AndTheJobFailsToo()
    {
        var runs = Versions();
        var version = await runs.QueueAsync(NewVersion(), cancellationToken: Ct);

        var thrown = await Assert.ThrowsAsync<InvalidDataException>(() => runs.RunAsync(version, (_, _) => throw new InvalidDataException("disk full"), Ct));

        var failed = (await _fixture.Registry.GetVersionAsync(version.Id, Ct))!;
        Assert.Equal((VersionStatus.Failed, "disk full", "failed"), (failed.Status, failed.Error!, failed.Progress.Stage));
        Assert.Equal((RunState.Failed, "disk full", "v1"), (_publisher.Updates[^1].State, _publisher.Updates[^1].Error, _publisher.Updates[^1].Label));
        Assert.Equal("disk full", thrown.Message);
    }

    [Fact]
    public async Task Cancel_QueuedRun_DeletesItsJobAndEndsCancelledAtOnce()
    {
        var runs = Versions();
        var version = await runs.QueueAsync(NewVersion(), cancellationToken: Ct);

        await runs.CancelAsync(version.Id, Ct);

        Assert.Equal([version.JobId!], _scheduler.Deleted);
        var cancelled = (await _fixture.Registry.GetVersionAsync(version.Id, Ct))!;
        Assert.Equal((VersionStatus.Cancelled, "cancelled", true), (cancelled.Status, cancelled.Progress.Stage, cancelled.CancelRequested));
        Assert.NotNull(cancelled.FinishedAt);
        Assert.Equal((RunState.Cancelled, "Cancelled"), (_publisher.Updates[^1].State, _publisher.Updates[^1].Status));
    }

    [Fact]
    public async Task Cancel_RunningHere_StopsTheWorkAtOnce_AndKeepsItsJob()
    {
        var runs = Versions();
        var version = await runs.QueueAsync(NewVersion(), cancellationToken: Ct);

        await runs.RunAsync(version, async (_, token) =>
        {
            await runs.CancelAsync(version.Id, Ct);
            await Task.Delay(Timeout.Infinite, token);
            return _ => { };
        }, Ct);

        var cancelled = (await _fixture.Registry.GetVersionAsync(version.Id, Ct))!;
        Assert.Equal((VersionStatus.Cancelled, (string?)null), (cancelled.Status, cancelled.Error));
        Assert.Empty(_scheduler.Deleted);
    }

    [Fact]
    public async Task Cancel_FinishedRun_ChangesNothing()
    {
        var runs = Versions();
        var version = await runs.QueueAsync(NewVersion(), cancellationToken: Ct);
        await runs.FailAsync(version.Id, "no data");
        var published = _publisher.Updates.Count;

        await runs.CancelAsync(version.Id, Ct);

        var failed = (await _fixture.Registry.GetVersionAsync(version.Id, Ct))!;
        Assert.Equal((VersionStatus.Failed, false), (failed.Status, failed.CancelRequested));
        Assert.Empty(_scheduler.Deleted);
        Assert.Equal(published, _publisher.Updates.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Shutdown_WhileRunning_InterruptsInMemoryJobs_AndHandsDurableOnesBackToTheQueue(bool durable)
    {
        var runs = Versions(new JobDurability(durable));
        var version = await runs.QueueAsync(NewVersion(), cancellationToken: Ct);
        using var stopping = new CancellationTokenSource();
        Task Run() => runs.RunAsync(version, async (_, token) =>
        {
            await stopping.CancelAsync();
            await Task.Delay(Timeout.Infinite, token);
            return _ => { };
        }, stopping.Token);

        if (durable)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(Run);
            var waiting = (await _fixture.Registry.GetVersionAsync(version.Id, Ct))!;
            Assert.Equal((VersionStatus.Queued, "waiting for a worker", (string?)null), (waiting.Status, waiting.Progress.Stage, waiting.Error));
            Assert.DoesNotContain(_publisher.Updates, u => u.IsFinished);
        }
        else
        {
            await Run();
            var interrupted = (await _fixture.Registry.GetVersionAsync(version.Id, Ct))!;
            Assert.Equal((VersionStatus.Interrupted, "The server stopped while training.", "interrupted"), (interrupted.Status, interrupted.Error!, interrupted.Progress.Stage));
            Assert.Equal(RunState.Interrupted, _publisher.Updates[^1].State);
        }
    }

    [Theory]
    [InlineData(VersionStatus.Queued, false)]
    [InlineData(VersionStatus.Running, false)]
    [InlineData(VersionStatus.Ready, false)]
    [InlineData(VersionStatus.Failed, true)]
    [InlineData(VersionStatus.Cancelled, true)]
    [InlineData(VersionStatus.Interrupted, true)]
    [InlineData(VersionStatus.Production, false)]
    [InlineData(VersionStatus.Archived, false)]
    public async Task Retry_QueuesTheSameRecordAgain_OnlyWhenItFailedWasCancelledOrInterrupted(VersionStatus status, bool retryable)
    {
        var runs = Versions();
        var version = await _fixture.Registry.AddVersionAsync(new ModelVersionRecord
        {
            DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(Trees: 25), Status = status, Error = "earlier", CancelRequested = true,
            StartedAt = DateTimeOffset.UtcNow, FinishedAt = DateTimeOffset.UtcNow, Progress = new JobProgress { Stage = "training", Done = 7 },
        }, Ct);

        if (!retryable)
        {
            var refused = await Assert.ThrowsAsync<LynqException>(() => runs.RetryAsync(version.Id, Ct));
            Assert.Equal(ProblemKind.Conflict, refused.Kind);
            Assert.Contains("only failed, cancelled or interrupted runs can be retried", refused.Message, StringComparison.Ordinal);
            Assert.Equal(status, (await _fixture.Registry.GetVersionAsync(version.Id, Ct))!.Status);
            Assert.Empty(_scheduler.Jobs);
            return;
        }

        var retried = await runs.RetryAsync(version.Id, Ct);

        Assert.Equal((VersionStatus.Queued, (string?)null, false), (retried.Status, retried.Error, retried.CancelRequested));
        Assert.Equal(((DateTimeOffset?)null, (DateTimeOffset?)null), (retried.StartedAt, retried.FinishedAt));
        Assert.Equal(("queued", 0L, 25L), (retried.Progress.Stage, retried.Progress.Done, retried.Progress.Total));
        Assert.Equal((_scheduler.Jobs[^1].Id, version.Id), (retried.JobId!, _scheduler.Jobs[^1].Record));
        Assert.Equal(retried.Number, version.Number);
    }

    [Fact]
    public async Task Retry_OfARecordThatIsGone_IsNotFound()
    {
        var refused = await Assert.ThrowsAsync<LynqException>(() => Datasets().RetryAsync(Guid.NewGuid(), Ct));

        Assert.Equal((ProblemKind.NotFound, "That dataset no longer exists."), (refused.Kind, refused.Message));
    }

    [Fact]
    public async Task InterruptStalled_EndsTheRunOnlyWhileItStillWaitsOnTheJobItWasSeenWith()
    {
        var runs = Versions();
        var seen = await runs.QueueAsync(NewVersion(), cancellationToken: Ct);
        await _fixture.Registry.UpdateVersionAsync(seen.Id, v => v.JobId = "job-retried", Ct);

        Assert.False(await runs.InterruptStalledAsync(seen, "Its job was deleted."));
        Assert.Equal(VersionStatus.Queued, (await _fixture.Registry.GetVersionAsync(seen.Id, Ct))!.Status);

        var current = (await _fixture.Registry.GetVersionAsync(seen.Id, Ct))!;
        Assert.True(await runs.InterruptStalledAsync(current, "Its job was deleted."));
        var interrupted = (await _fixture.Registry.GetVersionAsync(seen.Id, Ct))!;
        Assert.Equal((VersionStatus.Interrupted, "Its job was deleted.", "interrupted"), (interrupted.Status, interrupted.Error!, interrupted.Progress.Stage));

        Assert.False(await runs.InterruptStalledAsync(current, "Seen again by another process."));
        Assert.Equal("Its job was deleted.", (await _fixture.Registry.GetVersionAsync(seen.Id, Ct))!.Error);
    }

    [Fact]
    public async Task Promotion_SucceedsInTheProductionTransaction_OrFailsWithItsCode_EachWithItsAuditLine()
    {
        var promotions = new EfPromotionRegistry(_fixture.Contexts, TimeProvider.System);
        var runs = new RunLifecycle<PromotionRecord>(new PromotionRuns(promotions, promotions, _scheduler), _publisher, _cancellations, JobDurability.InMemory, TimeProvider.System);
        var version = await _fixture.Registry.AddVersionAsync(new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), Status = VersionStatus.Ready }, Ct);

        var promoted = await runs.QueueAsync(NewPromotion(version, "bucket-a"), cancellationToken: Ct);
        await runs.StartAsync(promoted.Id);
        await runs.SucceedAsync(promoted.Id, p => p.ManifestKey = "models/m.json", Audit("promotion.succeeded"));

        var succeeded = (await promotions.GetPromotionAsync(promoted.Id, Ct))!;
        Assert.Equal((PromotionStatus.Succeeded, "models/m.json", "succeeded", 1.0), (succeeded.Status, succeeded.ManifestKey!, succeeded.Progress.Stage, succeeded.Progress.Fraction));
        Assert.Equal(VersionStatus.Production, (await _fixture.Registry.GetVersionAsync(version.Id, Ct))!.Status);

        var failing = await runs.QueueAsync(NewPromotion(version, "bucket-b"), cancellationToken: Ct);
        await runs.StartAsync(failing.Id);
        await runs.FailAsync(failing.Id, "No such bucket.", p => p.ErrorCode = "NoSuchBucket", Audit("promotion.failed"));

        var failed = (await promotions.GetPromotionAsync(failing.Id, Ct))!;
        Assert.Equal((PromotionStatus.Failed, "NoSuchBucket", "No such bucket.", "failed"), (failed.Status, failed.ErrorCode!, failed.Error!, failed.Progress.Stage));
        Assert.Equal(["promotion.failed", "promotion.succeeded"], (await promotions.ListAsync(cancellationToken: Ct)).Select(a => a.Action));
        Assert.Equal((RunKind.Promotion, RunState.Failed, "promotion of v1"), (_publisher.Updates[^1].Kind, _publisher.Updates[^1].State, _publisher.Updates[^1].Label));
    }

    private RunLifecycle<ModelVersionRecord> Versions(JobDurability? durability = null) =>
        new(new VersionRuns(_fixture.Registry, _scheduler), _publisher, _cancellations, durability ?? JobDurability.InMemory, TimeProvider.System);

    private RunLifecycle<DatasetRecord> Datasets() =>
        new(new DatasetRuns(_fixture.Registry, _scheduler), _publisher, _cancellations, JobDurability.InMemory, TimeProvider.System);

    private static ModelVersionRecord NewVersion(int trees = 20) => new() { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(Trees: trees) };

    private static PromotionRecord NewPromotion(ModelVersionRecord version, string bucket) => new()
    {
        VersionId = version.Id, VersionNumber = version.Number, Bucket = bucket, KeyPrefix = "models/credit_model_v1",
        PointerKey = PromotionLayout.DefaultPointerKey, RequestedBy = "approver@lynq.test",
    };

    private static AuditEvent Audit(string action) => new() { At = DateTimeOffset.UtcNow, Actor = "approver@lynq.test", Action = action, Subject = "v1" };
}

using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Infrastructure.Registry;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Infrastructure.Tests.Workflows;

/// <summary>
/// Which active runs the recovery marks Interrupted, on a real SQLite registry. The job store is scripted here (the
/// Hangfire reading of each fate is tested against real Hangfire in the web tests).
/// </summary>
public sealed class StalledRunRecoveryTests : IAsyncLifetime
{
    private readonly ScriptedJobs _jobs = new();
    private readonly RecordingPublisher _publisher = new();
    private RegistryFixture _fixture = null!;
    private EfPromotionRegistry _promotions = null!;
    private StalledRunRecovery _recovery = null!;

    public async ValueTask InitializeAsync()
    {
        _fixture = await RegistryFixture.CreateAsync();
        _promotions = new EfPromotionRegistry(_fixture.Contexts, TimeProvider.System);
        var scheduler = new RecordingScheduler();
        var cancellations = new RunCancellations();
        RunLifecycle<T> Runs<T>(RunRecords<T> records) where T : JobRecord => new(records, _publisher, cancellations, JobDurability.InMemory, TimeProvider.System);
        _recovery = new StalledRunRecovery(_fixture.Registry, _promotions, Runs(new DatasetRuns(_fixture.Registry, scheduler)), Runs(new VersionRuns(_fixture.Registry, scheduler)),
            Runs(new PromotionRuns(_promotions, _promotions, scheduler)), _jobs, TimeProvider.System, new StalledRunRules(TimeSpan.FromMinutes(2)));
    }

    public async ValueTask DisposeAsync() => await _fixture.DisposeAsync();

    [Theory]
    [InlineData(JobFate.Deleted, "was deleted (in the jobs dashboard)")]
    [InlineData(JobFate.Failed, "failed before it could finish")]
    [InlineData(JobFate.Succeeded, "ended without finishing the record")]
    [InlineData(JobFate.Missing, "no longer exists")]
    [InlineData(JobFate.Orphaned, "stopped answering")]
    public async Task Sweep_PromotionWhoseJobWillNeverFinishIt_IsInterruptedWithAReasonAndAudited(JobFate fate, string reason)
    {
        var promotion = await AddPromotionAsync(PromotionStatus.Queued, "job-1", fate);

        Assert.Equal(1, await _recovery.SweepAsync());

        var interrupted = (await _promotions.GetPromotionAsync(promotion.Id))!;
        Assert.Equal(PromotionStatus.Interrupted, interrupted.Status);
        Assert.Contains(reason, interrupted.Error, StringComparison.Ordinal);
        Assert.EndsWith("Retry it.", interrupted.Error, StringComparison.Ordinal);
        Assert.NotNull(interrupted.FinishedAt);
        var audit = Assert.Single(await _promotions.ListAsync(), a => a.Action == "promotion.interrupted");
        Assert.Equal(("system", "v1"), (audit.Actor, audit.Subject));
        Assert.Contains(reason, audit.Detail, StringComparison.Ordinal);
        Assert.Contains(_publisher.Updates, u => u.Id == promotion.Id && u.Status == nameof(PromotionStatus.Interrupted) && u.Error == interrupted.Error);

        // Nothing more to do: a second sweep (or another process's) changes and audits nothing.
        Assert.Equal(0, await _recovery.SweepAsync());
        Assert.Single(await _promotions.ListAsync(), a => a.Action == "promotion.interrupted");
    }

    [Theory]
    [InlineData(JobFate.Waiting)]
    [InlineData(JobFate.Running)]
    public async Task Sweep_PromotionWhoseJobMayStillFinishIt_IsLeftAlone(JobFate fate)
    {
        var promotion = await AddPromotionAsync(PromotionStatus.Running, "job-1", fate);

        Assert.Equal(0, await _recovery.SweepAsync());

        Assert.Equal(PromotionStatus.Running, (await _promotions.GetPromotionAsync(promotion.Id))!.Status);
        Assert.DoesNotContain(await _promotions.ListAsync(), a => a.Action.EndsWith(".interrupted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sweep_QueuedPromotionWithoutAJob_IsInterruptedOnlyOnceItIsOlderThanTheRule()
    {
        var fresh = await AddPromotionAsync(PromotionStatus.Queued, null, null, bucket: "fresh");
        var lost = await AddPromotionAsync(PromotionStatus.Queued, null, null, bucket: "lost", age: TimeSpan.FromMinutes(3));

        Assert.Equal(1, await _recovery.SweepAsync());

        Assert.Equal(PromotionStatus.Queued, (await _promotions.GetPromotionAsync(fresh.Id))!.Status);
        var interrupted = (await _promotions.GetPromotionAsync(lost.Id))!;
        Assert.Equal(PromotionStatus.Interrupted, interrupted.Status);
        Assert.Contains("never handed to a job runner", interrupted.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_VersionWhoseJobWasDeleted_IsInterruptedWhenTwoSweepsAgree()
    {
        var version = await _fixture.Registry.AddVersionAsync(new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), JobId = "job-7" });
        _jobs.Fates["job-7"] = JobFate.Deleted;

        Assert.Equal(0, await _recovery.SweepAsync());
        Assert.Equal(VersionStatus.Queued, (await _fixture.Registry.GetVersionAsync(version.Id))!.Status);
        Assert.Equal(1, await _recovery.SweepAsync());

        var interrupted = (await _fixture.Registry.GetVersionAsync(version.Id))!;
        Assert.Equal(VersionStatus.Interrupted, interrupted.Status);
        Assert.Contains("job-7 was deleted", interrupted.Error, StringComparison.Ordinal);
        Assert.Contains("retry it", interrupted.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_DatasetRetriedBetweenSweeps_IsNotInterrupted()
    {
        // A retry sets the record Queued while it still names the old, finished job, then stores the new job's id.
        var dataset = await _fixture.Registry.AddDatasetAsync(new DatasetRecord { Name = "d", RequestedRows = 10, Seed = 1, JobId = "job-old" });
        _jobs.Fates["job-old"] = JobFate.Failed;
        Assert.Equal(0, await _recovery.SweepAsync());

        await _fixture.Registry.UpdateDatasetAsync(dataset.Id, d => d.JobId = "job-new");
        _jobs.Fates["job-new"] = JobFate.Waiting;
        Assert.Equal(0, await _recovery.SweepAsync());
        Assert.Equal(0, await _recovery.SweepAsync());

        Assert.Equal(DatasetStatus.Queued, (await _fixture.Registry.GetDatasetAsync(dataset.Id))!.Status);
    }

    [Fact]
    public async Task Sweep_TrainingOnAWorkerThatStoppedAnswering_IsLeftForDurableStorageToHandOn()
    {
        var version = await _fixture.Registry.AddVersionAsync(new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), JobId = "job-9", Status = VersionStatus.Running });
        _jobs.Fates["job-9"] = JobFate.Orphaned;

        Assert.Equal(0, await _recovery.SweepAsync());
        Assert.Equal(0, await _recovery.SweepAsync());

        Assert.Equal(VersionStatus.Running, (await _fixture.Registry.GetVersionAsync(version.Id))!.Status);
    }

    private async Task<PromotionRecord> AddPromotionAsync(PromotionStatus status, string? jobId, JobFate? fate, string bucket = "bucket", TimeSpan age = default)
    {
        var version = await _fixture.Registry.GetVersionByNumberAsync(1)
            ?? await _fixture.Registry.AddVersionAsync(new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), Status = VersionStatus.Ready });
        if (jobId is not null && fate is { } known)
        {
            _jobs.Fates[jobId] = known;
        }

        return await _promotions.AddPromotionAsync(new PromotionRecord
        {
            Status = status, VersionId = version.Id, VersionNumber = version.Number, Bucket = bucket, KeyPrefix = "models/credit_model_v1",
            PointerKey = PromotionLayout.DefaultPointerKey, RequestedBy = "approver@lynq.test", JobId = jobId, CreatedAt = DateTimeOffset.UtcNow - age,
        });
    }

    private sealed class ScriptedJobs : IJobInspector
    {
        public Dictionary<string, JobFate> Fates { get; } = [];

        public Task<JobFate> InspectAsync(string jobId, CancellationToken cancellationToken = default) =>
            Task.FromResult(Fates.TryGetValue(jobId, out var fate) ? fate : JobFate.Missing);
    }
}

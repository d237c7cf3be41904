using LynqDashboard.Core;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Core.Runs;
using LynqDashboard.Tests.Shared;

namespace LynqDashboard.Infrastructure.Tests.Workflows;

/// <summary>The Core workflows over the real SQLite registry, with jobs run inline by a recording scheduler.</summary>
public sealed class WorkflowTests : IAsyncLifetime
{
    private readonly RecordingScheduler _scheduler = new();
    private readonly RecordingPublisher _publisher = new();
    private RegistryFixture _fixture = null!;
    private InlineRuns _runs = null!;
    private RegistryCommands _commands = null!;
    private DatasetGenerationWorkflow _generation = null!;
    private ModelTrainingWorkflow _training = null!;

    public async ValueTask InitializeAsync()
    {
        _fixture = await RegistryFixture.CreateAsync();
        _runs = new InlineRuns(_fixture.Registry, _fixture.Data, _scheduler, _publisher);
        (_commands, _generation, _training) = (_runs.Commands, _runs.Generation, _runs.Training);
    }

    public async ValueTask DisposeAsync()
    {
        _runs.Dispose();
        await _fixture.DisposeAsync();
    }

    [Fact]
    public async Task GenerateThenTrain_ProducesAReadyVersionWithArtifactsAndMetrics()
    {
        var (dataset, version) = await _commands.GenerateAndTrainAsync(new DatasetParameters(20_000, 4), new TrainingParameters(Trees: 40));
        Assert.Equal(2, _scheduler.Jobs.Count);
        Assert.Equal(_scheduler.Jobs[0].Id, _scheduler.Jobs[1].After);

        await _generation.RunAsync(dataset.Id, CancellationToken.None);
        await _training.RunAsync(version.Id, CancellationToken.None);

        var readyData = await _fixture.Registry.GetDatasetAsync(dataset.Id);
        Assert.Equal(DatasetStatus.Ready, readyData!.Status);
        Assert.Equal(20_000, readyData.RowCount);
        Assert.True(File.Exists(_fixture.Data.Resolve(readyData.FilePath!)));

        var ready = await _fixture.Registry.GetVersionAsync(version.Id);
        Assert.Equal(VersionStatus.Ready, ready!.Status);
        Assert.Equal(1, ready.Number);
        Assert.InRange(ready.RocAuc!.Value, 0.7, 0.95);
        Assert.Equal(readyData.Sha256, ready.DatasetSha256);
        Assert.Equal(1.0, ready.Progress.Fraction);
        Assert.Contains(ready.Artifacts, a => a.Name == ModelArtifacts.ModelFile);
        Assert.Equal("1", ModelArtifacts.Load(_fixture.Data.Resolve(ready.ArtifactDirectory!)).Config.Version);
        Assert.Contains(_publisher.Updates, u => u.Id == version.Id && u.Progress.Stage == "training" && u.Progress.Done == 40);
        Assert.Equal("Ready", _publisher.Updates.Last(u => u.Id == version.Id).Status);
    }

    [Fact]
    public async Task Run_AlreadyReady_DoesNothingTheSecondTime()
    {
        var dataset = await _commands.GenerateAsync(new DatasetParameters(2_000, 1));
        await _generation.RunAsync(dataset.Id, CancellationToken.None);
        var first = await _fixture.Registry.GetDatasetAsync(dataset.Id);

        await _generation.RunAsync(dataset.Id, CancellationToken.None);

        var second = await _fixture.Registry.GetDatasetAsync(dataset.Id);
        Assert.Equal(first!.FinishedAt, second!.FinishedAt);
        Assert.Equal(first.Sha256, second.Sha256);
    }

    [Fact]
    public async Task CancelVersion_WhileTraining_MarksCancelledAndLeavesNoFolder()
    {
        var version = await ReadyDatasetThenQueueAsync(new TrainingParameters(Trees: 3_000));
        _publisher.OnUpdate = u =>
        {
            if (u.Id == version.Id && u.Progress.Done == 3)
            {
                _ = _commands.CancelVersionAsync(version.Id);
            }
        };

        await _training.RunAsync(version.Id, CancellationToken.None);

        var cancelled = await _fixture.Registry.GetVersionAsync(version.Id);
        Assert.Equal(VersionStatus.Cancelled, cancelled!.Status);
        Assert.False(Directory.Exists(_fixture.Data.VersionFolder(cancelled.Number)));
    }

    [Fact]
    public async Task CancelFlag_SetByAnotherProcess_StopsTheJobAtItsNextSave()
    {
        var version = await ReadyDatasetThenQueueAsync(new TrainingParameters(Trees: 3_000));
        _publisher.OnUpdate = u =>
        {
            // Another process only writes the flag; nothing here is cancelled directly.
            if (u.Id == version.Id && u.Progress.Done == 3)
            {
                _fixture.Registry.UpdateVersionAsync(version.Id, v => v.CancelRequested = true).GetAwaiter().GetResult();
            }
        };

        await _training.RunAsync(version.Id, CancellationToken.None);

        Assert.Equal(VersionStatus.Cancelled, (await _fixture.Registry.GetVersionAsync(version.Id))!.Status);
    }

    [Fact]
    public async Task CancelVersion_StillQueued_RemovesTheJobAndMarksCancelled()
    {
        var version = await ReadyDatasetThenQueueAsync(new TrainingParameters());

        await _commands.CancelVersionAsync(version.Id);

        Assert.Equal(VersionStatus.Cancelled, (await _fixture.Registry.GetVersionAsync(version.Id))!.Status);
        Assert.Contains(version.JobId, _scheduler.Deleted);
    }

    [Fact]
    public async Task Train_OnAFailedDataset_FailsWithAReasonAndCanBeRetried()
    {
        var dataset = await _commands.GenerateAsync(new DatasetParameters(2_000, 1));
        var version = await _commands.TrainAsync(dataset.Id, new TrainingParameters(Trees: 20));
        await _fixture.Registry.UpdateDatasetAsync(dataset.Id, d => d.Status = DatasetStatus.Failed);

        await _training.RunAsync(version.Id, CancellationToken.None);

        var failed = await _fixture.Registry.GetVersionAsync(version.Id);
        Assert.Equal(VersionStatus.Failed, failed!.Status);
        Assert.Contains("dataset is not ready", failed.Error, StringComparison.Ordinal);

        var retried = await _commands.RetryVersionAsync(version.Id);
        Assert.Equal(VersionStatus.Queued, retried.Status);
        Assert.Null(retried.Error);
        Assert.Equal(retried.JobId, _scheduler.Jobs[^1].Id);
        var refused = await Assert.ThrowsAsync<LynqException>(() => _commands.RetryVersionAsync(version.Id));
        Assert.Equal(ProblemKind.Conflict, refused.Kind);
    }

    [Fact]
    public async Task Train_UnexpectedFailure_LeavesTheVersionFailedWithTheReason()
    {
        var dataset = await _commands.GenerateAsync(new DatasetParameters(2_000, 1));
        await _generation.RunAsync(dataset.Id, CancellationToken.None);
        var version = await _commands.TrainAsync(dataset.Id, new TrainingParameters(Trees: 20));
        await _fixture.Registry.UpdateDatasetAsync(dataset.Id, d => d.FilePath = "../../outside/the/data/folder.csv");

        await Assert.ThrowsAsync<InvalidOperationException>(() => _training.RunAsync(version.Id, CancellationToken.None));

        var failed = await _fixture.Registry.GetVersionAsync(version.Id);
        Assert.Equal(VersionStatus.Failed, failed!.Status);
        Assert.Contains("outside the data directory", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteVersion_RemovesRecordAndFolder_ButNotAProductionVersion()
    {
        var version = await ReadyDatasetThenQueueAsync(new TrainingParameters(Trees: 20));
        await _training.RunAsync(version.Id, CancellationToken.None);
        var folder = _fixture.Data.VersionFolder(version.Number);
        Assert.True(Directory.Exists(folder));

        await _commands.DeleteVersionAsync(version.Id);

        Assert.Null(await _fixture.Registry.GetVersionAsync(version.Id));
        Assert.False(Directory.Exists(folder));

        var production = await ReadyDatasetThenQueueAsync(new TrainingParameters(Trees: 20));
        await _fixture.Registry.UpdateVersionAsync(production.Id, v => v.Status = VersionStatus.Production);
        var refused = await Assert.ThrowsAsync<LynqException>(() => _commands.DeleteVersionAsync(production.Id));
        Assert.Equal(ProblemKind.Conflict, refused.Kind);
    }

    [Fact]
    public async Task Train_InvalidParameters_CreateNoRecord()
    {
        var dataset = await _commands.GenerateAsync(new DatasetParameters(2_000, 1));
        var refused = await Assert.ThrowsAsync<LynqException>(() => _commands.TrainAsync(dataset.Id, new TrainingParameters(Trees: 0)));
        Assert.Equal(ProblemKind.Invalid, refused.Kind);
        Assert.Contains(refused.Problems, p => p.Field == "trees");
        Assert.Equal(0, (await _fixture.Registry.QueryVersionsAsync(new VersionQuery())).TotalCount);
    }

    private async Task<ModelVersionRecord> ReadyDatasetThenQueueAsync(TrainingParameters parameters)
    {
        var dataset = await _commands.GenerateAsync(new DatasetParameters(20_000, 2));
        await _generation.RunAsync(dataset.Id, CancellationToken.None);
        return await _commands.TrainAsync(dataset.Id, parameters);
    }
}

using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Training;

namespace LynqDashboard.Core.Tests.Runs;

/// <summary>The one definition of active, finished and retryable, and how each record's status reads as a run state.</summary>
public sealed class RunStatusMapsTests
{
    [Theory]
    [InlineData(RunState.Queued, true, false)]
    [InlineData(RunState.Running, true, false)]
    [InlineData(RunState.Succeeded, false, false)]
    [InlineData(RunState.Failed, false, true)]
    [InlineData(RunState.Cancelled, false, true)]
    [InlineData(RunState.Interrupted, false, true)]
    public void RunState_IsActiveFinishedOrRetryable(RunState state, bool active, bool retryable)
    {
        Assert.Equal(active, state.IsActive());
        Assert.Equal(!active, state.IsFinished());
        Assert.Equal(retryable, state.IsRetryable());
    }

    [Fact]
    public void EveryStatus_ReadsAsTheStateItsRunIsIn()
    {
        Assert.Equal(
            [RunState.Queued, RunState.Running, RunState.Succeeded, RunState.Failed, RunState.Cancelled, RunState.Interrupted],
            Enum.GetValues<DatasetStatus>().Select(s => s.State()));
        Assert.Equal(
            [RunState.Queued, RunState.Running, RunState.Succeeded, RunState.Failed, RunState.Cancelled, RunState.Interrupted, RunState.Succeeded, RunState.Succeeded],
            Enum.GetValues<VersionStatus>().Select(s => s.State()));
        Assert.Equal(
            [RunState.Queued, RunState.Running, RunState.Succeeded, RunState.Failed, RunState.Interrupted],
            Enum.GetValues<PromotionStatus>().Select(s => s.State()));
    }

    [Fact]
    public void EnteringAState_SetsTheStatusPeopleKnowItBy()
    {
        Assert.Equal(DatasetStatus.Generating, RunStatusMaps.Datasets.StatusFor(RunState.Running));
        Assert.Equal(DatasetStatus.Ready, RunStatusMaps.Datasets.StatusFor(RunState.Succeeded));
        Assert.Equal(VersionStatus.Ready, RunStatusMaps.Versions.StatusFor(RunState.Succeeded)); // never Production or Archived
        Assert.Equal(PromotionStatus.Succeeded, RunStatusMaps.Promotions.StatusFor(RunState.Succeeded));
        Assert.Equal("ready", RunStatusMaps.Versions.StageOf(RunState.Succeeded));
        Assert.Equal("interrupted", RunStatusMaps.Datasets.StageOf(RunState.Interrupted));
        Assert.Throws<InvalidOperationException>(() => RunStatusMaps.Promotions.StatusFor(RunState.Cancelled));

        foreach (var state in Enum.GetValues<RunState>())
        {
            Assert.Equal(state, RunStatusMaps.Datasets.StatusFor(state).State());
            Assert.Equal(state, RunStatusMaps.Versions.StatusFor(state).State());
        }
    }

    [Fact]
    public void ActiveStatusSets_AreTheQueuedAndRunningOnes()
    {
        Assert.Equal([DatasetStatus.Queued, DatasetStatus.Generating], RunStatusMaps.Datasets.Active);
        Assert.Equal([VersionStatus.Queued, VersionStatus.Running], RunStatusMaps.Versions.Active);
        Assert.Equal([PromotionStatus.Queued, PromotionStatus.Running], RunStatusMaps.Promotions.Active);
        Assert.Equal(Enum.GetValues<VersionStatus>().Where(s => s.IsUsable()), RunStatusMaps.Versions.Where(s => s == RunState.Succeeded));
    }

    [Theory]
    [InlineData(DatasetStatus.Queued, true)]
    [InlineData(DatasetStatus.Generating, true)]
    [InlineData(DatasetStatus.Ready, true)]
    [InlineData(DatasetStatus.Failed, false)]
    [InlineData(DatasetStatus.Cancelled, false)]
    [InlineData(DatasetStatus.Interrupted, false)]
    public void ADataset_CanBeTrainedOnWhenReadyOrStillBeingMade(DatasetStatus status, bool trainable) =>
        Assert.Equal(trainable, status.CanBeTrainedOn());

    [Fact]
    public void RunUpdate_IsFinishedByItsState_AndNamesTheRecordsOwnStatus()
    {
        var dataset = new DatasetRecord { Name = "loans", Status = DatasetStatus.Generating };
        var generating = RunUpdate.Of(dataset);
        Assert.Equal((RunState.Running, "Generating", "loans", false), (generating.State, generating.Status, generating.Label, generating.IsFinished));

        var version = new ModelVersionRecord { Number = 4, Parameters = new TrainingParameters(), Status = VersionStatus.Production };
        var production = RunUpdate.Of(version);
        Assert.Equal((RunState.Succeeded, "Production", "v4", true), (production.State, production.Status, production.Label, production.IsFinished));
    }
}

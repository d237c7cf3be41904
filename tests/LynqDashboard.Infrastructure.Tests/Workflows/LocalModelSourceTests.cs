using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Core.Runs;
using LynqDashboard.Tests.Shared;

namespace LynqDashboard.Infrastructure.Tests.Workflows;

public sealed class LocalModelSourceTests
{
    [Fact]
    public async Task Refresh_ServesOnlyTheProductionVersion_FallsBackWithoutOne_AndKeepsTheOldModelWhenANewOneIsBroken()
    {
        await using var fixture = await RegistryFixture.CreateAsync();
        using var runs = new InlineRuns(fixture.Registry, fixture.Data, new RecordingScheduler(), new RecordingPublisher());
        var (commands, generation, training) = (runs.Commands, runs.Generation, runs.Training);
        var active = new ActiveModel(TimeProvider.System);
        using var source = new LocalModelSource(fixture.Registry, new LynqDashboard.Infrastructure.Registry.EfPromotionRegistry(fixture.Contexts, TimeProvider.System), new LocalArtifactStore(fixture.Data), active, TimeProvider.System);

        Assert.False(await source.RefreshAsync());
        Assert.Null(active.Current.Model);

        var dataset = await commands.GenerateAsync(new DatasetParameters(10_000, 1));
        await generation.RunAsync(dataset.Id, CancellationToken.None);
        var v1 = await commands.TrainAsync(dataset.Id, new TrainingParameters(Trees: 20));
        await training.RunAsync(v1.Id, CancellationToken.None);

        // A freshly trained version never serves by itself: until one is approved for production the fallback answers.
        Assert.False(await source.RefreshAsync());
        Assert.Equal((null, "none"), (active.Current.Model, active.Current.Selection));

        await fixture.Registry.UpdateVersionAsync(v1.Id, v => v.Status = VersionStatus.Production);
        Assert.True(await source.RefreshAsync());
        Assert.Equal((1, "production"), (active.Current.Number!.Value, active.Current.Selection));

        var v2 = await commands.TrainAsync(dataset.Id, new TrainingParameters(Trees: 20));
        await training.RunAsync(v2.Id, CancellationToken.None);
        Assert.False(await source.RefreshAsync());
        Assert.Equal(1, active.Current.Number);

        File.WriteAllText(Path.Combine(fixture.Data.VersionFolder(2), "model.zip"), "not a model");
        await fixture.Registry.UpdateVersionAsync(v1.Id, v => v.Status = VersionStatus.Archived);
        await fixture.Registry.UpdateVersionAsync(v2.Id, v => v.Status = VersionStatus.Production);
        Assert.False(await source.RefreshAsync());
        Assert.Equal(1, active.Current.Number);
        Assert.Contains("v2 could not be loaded", active.LastError, StringComparison.Ordinal);
        Assert.Contains("still serving v1", active.LastError, StringComparison.Ordinal);

        // Nothing in production any more (the version was archived): back to the fallback, not the last model.
        await fixture.Registry.UpdateVersionAsync(v2.Id, v => v.Status = VersionStatus.Archived);
        Assert.True(await source.RefreshAsync());
        Assert.Null(active.Current.Model);
    }
}

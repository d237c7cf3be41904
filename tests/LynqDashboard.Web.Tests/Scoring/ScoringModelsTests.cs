using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Scoring;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Scoring;

/// <summary>The scoring page's model cache: one load shared by every caller, never tied to the first caller's token.</summary>
public sealed class ScoringModelsTests : ComponentTest
{
    [Fact]
    public async Task GetAsync_TheFirstCallerGivesUp_TheNextStillGetsTheModel()
    {
        var trained = new ModelTrainer().Train(LoanDataset.From(new DatasetGenerator(new DatasetParameters(2_000, 5)).Rows().ToList()), new TrainingParameters(Trees: 3));
        var folder = Data.VersionFolder(7);
        ModelArtifacts.Write(trained, "7", "t", new DatasetLineage("d.csv", "x", 2_000, null), folder);
        var record = await Registry.AddVersionAsync(new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = trained.Parameters, Status = VersionStatus.Ready, ArtifactDirectory = Data.Relative(folder) });
        var models = Services.GetRequiredService<ScoringModels>();

        using (var closed = new CancellationTokenSource())
        {
            await closed.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => models.GetAsync(record.Number, closed.Token));
        }

        var model = await models.GetAsync(record.Number, TestContext.Current.CancellationToken);

        Assert.NotNull(model);
        Assert.Equal("7", model.Version);
        Assert.Same(model, await models.GetAsync(record.Number, TestContext.Current.CancellationToken)); // loaded once, kept
    }
}

using System.Text.Json;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Tests.Shared;
using LynqDashboard.Core.Training;

namespace LynqDashboard.Core.Tests.Artifacts;

public sealed class ModelArtifactsTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    private static readonly DatasetLineage Lineage = new("d.csv", new string('a', 64), 50_000, null);

    [Fact]
    public void Write_CreatesTheVersionFolderWithHashedFiles()
    {
        using var folder = new TempFolder();

        var set = ModelArtifacts.Write(fixture.Model, "7", "test", Lineage, folder.File("v7"));

        Assert.Equal(
            [ModelArtifacts.FeatureConfigFile, ModelArtifacts.MetricsFile, ModelArtifacts.ModelFile, ModelArtifacts.TestPredictionsFile, ModelArtifacts.TrainingLogFile],
            set.Files.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.All(set.Files, f => Assert.Matches("^[0-9a-f]{64}$", f.Sha256));
        Assert.Equal([Path.GetFileName(folder.File("v7"))], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_FeatureConfig_HoldsTheOriginalFieldsAndTheLineage()
    {
        using var folder = new TempFolder();
        ModelArtifacts.Write(fixture.Model, "7", "test model", Lineage, folder.File("v7"));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.File("v7"), ModelArtifacts.FeatureConfigFile)));
        var root = json.RootElement;
        foreach (var key in new[] { "features", "version", "created_at", "description", "metrics", "model_type", "default_rate", "num_samples", "training_parameters", "dataset", "feature_baseline" })
        {
            Assert.True(root.TryGetProperty(key, out _), $"feature_config.json lacks {key}");
        }

        Assert.Equal(LoanFeatures.Names, root.GetProperty("features").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(new string('a', 64), root.GetProperty("dataset").GetProperty("sha256").GetString());
        Assert.Equal(50_000, root.GetProperty("num_samples").GetInt32());

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.File("v7"), ModelArtifacts.MetricsFile)));
        foreach (var key in new[] { "roc_auc", "pr_auc", "gini", "ks", "brier", "oracle_auc", "calibration_error", "confusion_matrix" })
        {
            Assert.True(metrics.RootElement.TryGetProperty(key, out _), $"metrics.json lacks {key}");
        }
    }

    [Fact]
    public void Load_SavedModel_ScoresExactlyAsTheInMemoryModel()
    {
        using var folder = new TempFolder();
        ModelArtifacts.Write(fixture.Model, "7", "test", Lineage, folder.File("v7"));
        var sample = fixture.Data.Select([.. Enumerable.Range(0, 2_000)]);

        var loaded = ModelArtifacts.Load(folder.File("v7"));
        var inMemory = ModelPredictions.Probabilities(fixture.Model.Context, fixture.Model.Model, sample);
        var reloaded = ModelPredictions.Probabilities(loaded.Context, loaded.Model, sample);
        var scoring = new ScoringModel(loaded);

        Assert.Equal(inMemory, reloaded);
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(inMemory[i], scoring.PredictPd(sample.Row(i)));
        }
    }

    [Fact]
    public void Write_FailureBeforeCommit_LeavesNoFolderAtAll()
    {
        using var folder = new TempFolder();

        Assert.Throws<IOException>(() => ModelArtifacts.Write(fixture.Model, "7", "test", Lineage, folder.File("v7"),
            beforeCommit: _ => throw new IOException("disk full (simulated)")));

        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Write_ExistingFolder_IsRefusedUnlessOverwriting()
    {
        using var folder = new TempFolder();
        ModelArtifacts.Write(fixture.Model, "7", "first", Lineage, folder.File("v7"));

        Assert.Throws<IOException>(() => ModelArtifacts.Write(fixture.Model, "7", "second", Lineage, folder.File("v7")));
        ModelArtifacts.Write(fixture.Model, "8", "second", Lineage, folder.File("v7"), overwrite: true);

        Assert.Equal("8", ModelArtifacts.Load(folder.File("v7")).Config.Version);
        Assert.Single(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Load_WrongFeatureOrder_IsRefusedNamingBothLists()
    {
        using var folder = new TempFolder();
        ModelArtifacts.Write(fixture.Model, "7", "test", Lineage, folder.File("v7"));
        var path = Path.Combine(folder.File("v7"), ModelArtifacts.FeatureConfigFile);
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        config["features"] = new System.Text.Json.Nodes.JsonArray([.. LoanFeatures.Names.Reverse().Select(n => (System.Text.Json.Nodes.JsonNode?)n)]);
        File.WriteAllText(path, config.ToJsonString());

        var error = Assert.Throws<InvalidDataException>(() => ModelArtifacts.Load(folder.File("v7")));
        Assert.Contains("[collateral_ratio, reputation_score", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorruptConfig_SaysWhichFile()
    {
        using var folder = new TempFolder();
        ModelArtifacts.Write(fixture.Model, "7", "test", Lineage, folder.File("v7"));
        File.WriteAllText(Path.Combine(folder.File("v7"), ModelArtifacts.FeatureConfigFile), "{ not json");

        var error = Assert.Throws<InvalidDataException>(() => ModelArtifacts.Load(folder.File("v7")));
        Assert.Contains(ModelArtifacts.FeatureConfigFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadTestPredictions_ReturnsWhatTrainingProduced()
    {
        using var folder = new TempFolder();
        ModelArtifacts.Write(fixture.Model, "7", "test", Lineage, folder.File("v7"));

        var stored = ModelArtifacts.ReadTestPredictions(folder.File("v7"));

        Assert.Equal(fixture.Model.TestProbabilities, stored.Probabilities);
        Assert.Equal(fixture.Model.TestLabels, stored.Labels);
        Assert.Equal(fixture.Model.TestFeatures, stored.Features);
        Assert.Equal(fixture.Model.TestFeatures.Length, stored.Count * LynqDashboard.Core.Features.LoanFeatures.Count);
    }

    [Fact]
    public void ReadTestPredictions_ReadsAnOlderFileWithoutFeatures_AndNamesTheLineOfABrokenRow()
    {
        using var folder = new TempFolder();
        var version = folder.File("v3");
        Directory.CreateDirectory(version);
        var path = Path.Combine(version, ModelArtifacts.TestPredictionsFile);
        File.WriteAllText(path, "probability,default_event\n0.125,1\n0.5,0\n");

        var stored = ModelArtifacts.ReadTestPredictions(version);

        Assert.Equal([0.125f, 0.5f], stored.Probabilities);
        Assert.Equal([true, false], stored.Labels);
        Assert.Null(stored.Features);

        File.WriteAllText(path, "probability,default_event\n0.125,1\n0.5,yes\n");
        var error = Assert.Throws<InvalidDataException>(() => ModelArtifacts.ReadTestPredictions(version));
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }
}

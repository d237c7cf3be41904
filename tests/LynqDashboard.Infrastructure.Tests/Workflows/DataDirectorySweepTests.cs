using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Infrastructure.Tests.Workflows;

/// <summary>What a killed process leaves in the data folder, and what the start-up sweep removes and keeps.</summary>
public sealed class DataDirectorySweepTests : IDisposable
{
    private readonly DataDirectory _data = new(Path.Combine(Path.GetTempPath(), "lynq-sweep-tests", Guid.NewGuid().ToString("N")));

    [Fact]
    public async Task SweepLeftovers_RemovesEveryHalfWrittenFolderAndFile_AndKeepsCompleteVersionsDatasetsAndCache()
    {
        _data.EnsureCreated();
        var models = Path.Combine(_data.Root, "models");

        // Complete things, which must survive: two version folders, a dataset with its manifest, a cached S3 model.
        var v1 = WriteVersion(1);
        var v2 = WriteVersion(2);
        var dataset = _data.DatasetCsv(Guid.NewGuid());
        await DatasetFiles.GenerateAsync(new DatasetParameters(500, 3), dataset, cancellationToken: TestContext.Current.CancellationToken);
        var cached = Path.Combine(_data.S3Cache, "0123456789abcdef");
        Directory.CreateDirectory(cached);
        File.Copy(Path.Combine(v1, ModelArtifacts.ModelFile), Path.Combine(cached, ModelArtifacts.ModelFile));
        File.Copy(Path.Combine(v1, ModelArtifacts.FeatureConfigFile), Path.Combine(cached, ModelArtifacts.FeatureConfigFile));
        var before = Snapshot();

        // What writers leave when killed mid-way. The training and generation names are the ones the real code used.
        var leftovers = new List<string>
        {
            CaptureTrainingStaging(3),
            await CaptureGenerationTemporaryAsync(),
            Folder(models, $"v4.{Guid.NewGuid():N}.fetch"),          // BucketArtifactStore fetching a version
            Folder(models, $"v1.{Guid.NewGuid():N}.old"),            // ModelArtifacts replacing v1
            Leftover(Path.Combine(_data.Root, "datasets"), $"{Guid.NewGuid():N}.csv.{Guid.NewGuid():N}.fetch"), // fetching a dataset
            Leftover(cached, $"{ModelArtifacts.ModelFile}.{Guid.NewGuid():N}.tmp"), // S3ModelSource downloading
            Folder(_data.S3Cache, "fedcba9876543210", ModelArtifacts.ModelFile), // a cache folder that never got its config
        };
        Assert.All(leftovers, path => Assert.True(Path.Exists(path), path));

        var removed = LeftoverSweep.Sweep(_data);

        Assert.Equal(leftovers.Order(StringComparer.Ordinal), removed.Order(StringComparer.Ordinal));
        Assert.All(leftovers, path => Assert.False(Path.Exists(path), path));
        Assert.Equal(before, Snapshot());
        Assert.NotNull(ModelArtifacts.Load(v2));
        Assert.Empty(LeftoverSweep.Sweep(_data));
    }

    [Fact]
    public void SweepLeftovers_KilledBetweenTheTwoRenamesOfAReplacement_PutsTheOldVersionBack()
    {
        _data.EnsureCreated();
        var models = Path.Combine(_data.Root, "models");
        var aside = Folder(models, $"v5.{Guid.NewGuid():N}.old", ModelArtifacts.ModelFile);
        var staging = Folder(models, $".v5.{Guid.NewGuid():N}.tmp", ModelArtifacts.ModelFile);

        Assert.Equal([staging], LeftoverSweep.Sweep(_data));

        Assert.False(Path.Exists(aside));
        Assert.Equal("partial", File.ReadAllText(Path.Combine(_data.VersionFolder(5), ModelArtifacts.ModelFile)));
    }

    [Fact]
    public void SweepLeftovers_NamesThatOnlyLookAlike_AreKept()
    {
        _data.EnsureCreated();
        var models = Path.Combine(_data.Root, "models");
        var kept = new[]
        {
            Folder(models, "v12"),
            Folder(models, "v3.backup.old"),          // no 32-digit id: a person's folder
            Folder(models, $"v3.{Guid.NewGuid():N}"), // no suffix
            Leftover(Path.Combine(_data.Root, "datasets"), $"{Guid.NewGuid():N}.csv"),
            Leftover(Path.Combine(_data.Root, "datasets"), "notes.tmp"),
        };

        Assert.Empty(LeftoverSweep.Sweep(_data));
        Assert.All(kept, path => Assert.True(Path.Exists(path), path));
    }

    public void Dispose()
    {
        if (Directory.Exists(_data.Root))
        {
            Directory.Delete(_data.Root, recursive: true);
        }
    }

    private string WriteVersion(int number, Action<string>? beforeCommit = null)
    {
        var rows = LoanDataset.From(new DatasetGenerator(new DatasetParameters(2_000, number)).Rows().ToList());
        var model = new ModelTrainer().Train(rows, new TrainingParameters(Trees: 5, MinExamplesPerLeaf: 20));
        var folder = _data.VersionFolder(number);
        ModelArtifacts.Write(model, $"{number}", $"v{number}", new DatasetLineage("d.csv", "x", rows.Count, null), folder, beforeCommit: beforeCommit);
        return folder;
    }

    // A training killed just before its rename leaves its staging folder: the name the real writer chose, recreated.
    private string CaptureTrainingStaging(int number)
    {
        string? staging = null;
        Assert.Throws<IOException>(() => WriteVersion(number, path =>
        {
            staging = path;
            throw new IOException("killed");
        }));
        return Folder(Path.GetDirectoryName(staging!)!, Path.GetFileName(staging!), ModelArtifacts.ModelFile);
    }

    // A generation killed mid-file leaves its temporary CSV: the name the real writer chose, recreated.
    private async Task<string> CaptureGenerationTemporaryAsync()
    {
        var datasets = Path.Combine(_data.Root, "datasets");
        var existing = Directory.GetFiles(datasets).ToHashSet();
        string? temporary = null;
        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DatasetFiles.GenerateAsync(new DatasetParameters(200_000, 5), _data.DatasetCsv(Guid.NewGuid()),
            new SynchronousProgress<GenerationProgress>(_ =>
            {
                temporary ??= Directory.GetFiles(datasets).FirstOrDefault(f => !existing.Contains(f));
                stop.Cancel();
            }), cancellationToken: stop.Token));
        Assert.NotNull(temporary);
        return Leftover(datasets, Path.GetFileName(temporary));
    }

    private static string Folder(string parent, string name, string? file = null)
    {
        var path = Path.Combine(parent, name);
        Directory.CreateDirectory(path);
        if (file is not null)
        {
            File.WriteAllText(Path.Combine(path, file), "partial");
        }

        return path;
    }

    private static string Leftover(string parent, string name)
    {
        var path = Path.Combine(parent, name);
        File.WriteAllText(path, "partial");
        return path;
    }

    private List<string> Snapshot() =>
        [.. Directory.GetFileSystemEntries(_data.Root, "*", SearchOption.AllDirectories).Select(p => $"{_data.Relative(p)}:{(File.Exists(p) ? new FileInfo(p).Length : -1)}").Order(StringComparer.Ordinal)];

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

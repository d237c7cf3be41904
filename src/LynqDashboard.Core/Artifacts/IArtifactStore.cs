using LynqDashboard.Core.Registry;

namespace LynqDashboard.Core.Artifacts;

/// <summary>
/// Where datasets and version folders live so that every process can use them. The embedded default keeps them in
/// the data folder; a scale-out keeps them in a bucket and gives each process a local copy, checked against the
/// SHA-256 the registry recorded, when it first needs one.
/// </summary>
public interface IArtifactStore
{
    /// <summary>For messages: "the data folder" or "s3://bucket/artifacts/".</summary>
    string Description { get; }

    /// <summary>A local folder holding the version's files, fetched first if this process has none.</summary>
    Task<string> VersionFolderAsync(ModelVersionRecord version, CancellationToken cancellationToken = default);

    /// <summary>A local path of the dataset's CSV, fetched first if this process has none.</summary>
    Task<string> DatasetFileAsync(DatasetRecord dataset, CancellationToken cancellationToken = default);

    /// <summary>Keeps a version folder just written here where the other processes can read it.</summary>
    /// <param name="number">The version number.</param>
    /// <param name="files">Its files with the SHA-256 the registry will record.</param>
    /// <param name="folder">The local folder that holds them.</param>
    /// <param name="cancellationToken">Stops the transfer.</param>
    Task SaveVersionAsync(int number, IReadOnlyList<ArtifactEntry> files, string folder, CancellationToken cancellationToken = default);

    /// <summary>Keeps a dataset CSV (and its manifest, when there is one) just written here where the other processes can read it.</summary>
    Task SaveDatasetAsync(Guid datasetId, string sha256, string path, CancellationToken cancellationToken = default);

    /// <summary>Removes a version's files everywhere this store keeps them.</summary>
    Task DeleteVersionAsync(ModelVersionRecord version, CancellationToken cancellationToken = default);
}

/// <summary>The embedded default: everything is already in the data folder, which only this process uses.</summary>
public sealed class LocalArtifactStore(Storage.DataDirectory data) : IArtifactStore
{
    public string Description => $"the data folder {data.Root}";

    public Task<string> VersionFolderAsync(ModelVersionRecord version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return Task.FromResult(data.Resolve(version.ArtifactDirectory ?? throw LynqException.Conflict($"{version.Label} has no files yet.")));
    }

    public Task<string> DatasetFileAsync(DatasetRecord dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Task.FromResult(data.Resolve(dataset.FilePath ?? throw LynqException.Conflict($"Dataset '{dataset.Name}' has no file yet.")));
    }

    public Task SaveVersionAsync(int number, IReadOnlyList<ArtifactEntry> files, string folder, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task SaveDatasetAsync(Guid datasetId, string sha256, string path, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task DeleteVersionAsync(ModelVersionRecord version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        var folder = data.VersionFolder(version.Number);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return Task.CompletedTask;
    }
}

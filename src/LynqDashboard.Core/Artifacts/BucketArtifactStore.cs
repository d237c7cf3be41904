using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Core.Artifacts;

/// <summary>
/// Artifacts in a bucket (S3 in a scale-out): {prefix}models/v{n}/{file} and {prefix}datasets/{id}.csv. A process
/// that needs files it has not got downloads them into its data folder, checks every byte against the registry's
/// SHA-256, and only then moves them into place, so a reader never sees half a version.
/// </summary>
/// <param name="store">The bucket.</param>
/// <param name="prefix">Key prefix of everything this store writes (default "artifacts/").</param>
/// <param name="data">This process's data folder, the local copy.</param>
public sealed class BucketArtifactStore(IObjectStore store, string prefix, DataDirectory data) : IArtifactStore, IDisposable
{
    /// <summary>Written last into a local copy that was checked completely; it lists the files (name, SHA-256, size) the copy holds.</summary>
    public const string CompleteMarker = ".complete";

    // Every file here is checked against the SHA-256 and size the registry recorded when it was made.
    private const string RecordedBy = "the registry";

    private readonly SemaphoreSlim _fetching = new(1, 1);

    public string Description => $"s3://{store.Bucket}/{prefix}";

    public string VersionKey(int number, string file) => $"{prefix}models/v{number}/{file}";

    public string DatasetKey(Guid id, string extension = ".csv") => $"{prefix}datasets/{id:N}{extension}";

    public async Task<string> VersionFolderAsync(ModelVersionRecord version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        var folder = data.VersionFolder(version.Number);
        if (Stale(folder, version) is [])
        {
            return folder;
        }

        if (version.Artifacts.Count == 0)
        {
            throw LynqException.Conflict($"{version.Label} has no files yet.");
        }

        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stale = Stale(folder, version);
            if (stale is [])
            {
                return folder;
            }

            if (stale is not null)
            {
                // A complete copy whose registry entry changed since (a rewritten report): fetch just those files.
                foreach (var file in stale)
                {
                    await FetchAsync(version.Number, file, folder, cancellationToken).ConfigureAwait(false);
                }

                await WriteMarkerAsync(folder, version.Artifacts, cancellationToken).ConfigureAwait(false);
                return folder;
            }

            var staging = $"{folder}.{Guid.NewGuid():N}.fetch";
            Directory.CreateDirectory(staging);
            try
            {
                foreach (var file in version.Artifacts)
                {
                    await store.DownloadVerifiedAsync(VersionKey(version.Number, file.Name), Path.Combine(staging, file.Name), file.Sha256, file.SizeBytes, RecordedBy, cancellationToken).ConfigureAwait(false);
                }

                await WriteMarkerAsync(staging, version.Artifacts, cancellationToken).ConfigureAwait(false);
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true); // an incomplete copy from an interrupted fetch
                }

                Directory.Move(staging, folder);
                return folder;
            }
            finally
            {
                if (Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }
            }
        }
        finally
        {
            _fetching.Release();
        }
    }

    public async Task<string> DatasetFileAsync(DatasetRecord dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var path = data.DatasetCsv(dataset.Id);
        if (File.Exists(path) && new FileInfo(path).Length == dataset.SizeBytes)
        {
            return path;
        }

        if (dataset.Sha256 is null)
        {
            throw LynqException.Conflict($"Dataset '{dataset.Name}' has no file yet.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await store.DownloadVerifiedAsync(DatasetKey(dataset.Id), path, dataset.Sha256, dataset.SizeBytes, RecordedBy, cancellationToken).ConfigureAwait(false);
        var manifest = await store.ReadAsync(DatasetKey(dataset.Id, ".manifest.json"), cancellationToken).ConfigureAwait(false);
        if (manifest is not null)
        {
            await File.WriteAllBytesAsync(DatasetManifest.PathFor(path), manifest, cancellationToken).ConfigureAwait(false);
        }

        return path;
    }

    public async Task SaveVersionAsync(int number, IReadOnlyList<ArtifactEntry> files, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var file in files)
        {
            await store.UploadFileAsync(VersionKey(number, file.Name), Path.Combine(folder, file.Name), file.Sha256, null, cancellationToken).ConfigureAwait(false);
        }

        // The files here are the ones uploaded: this process's copy holds them (and whatever it held before).
        await WriteMarkerAsync(folder, [.. Held(folder).Where(h => !files.Any(f => f.Name == h.Name)), .. files], cancellationToken).ConfigureAwait(false);
    }

    public async Task SaveDatasetAsync(Guid datasetId, string sha256, string path, CancellationToken cancellationToken = default)
    {
        await store.UploadFileAsync(DatasetKey(datasetId), path, sha256, null, cancellationToken).ConfigureAwait(false);
        var manifest = DatasetManifest.PathFor(path);
        if (File.Exists(manifest))
        {
            await store.WriteAsync(DatasetKey(datasetId, ".manifest.json"), await File.ReadAllBytesAsync(manifest, cancellationToken).ConfigureAwait(false), "application/json", cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task DeleteVersionAsync(ModelVersionRecord version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        foreach (var file in version.Artifacts)
        {
            await store.DeleteAsync(VersionKey(version.Number, file.Name), cancellationToken).ConfigureAwait(false);
        }

        var folder = data.VersionFolder(version.Number);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public void Dispose() => _fetching.Dispose();

    // The registry's files this copy does not hold with the registry's digest; null when there is no complete copy.
    private static List<ArtifactEntry>? Stale(string folder, ModelVersionRecord version)
    {
        if (!File.Exists(Path.Combine(folder, CompleteMarker)))
        {
            return null;
        }

        var held = Held(folder);

        // A marker from before it listed digests vouches for the whole copy.
        return held.Count == 0 ? [] : [.. version.Artifacts.Where(a => !held.Contains(a))];
    }

    // The marker lists each file the copy holds as "name sha256 size", one per line.
    private static List<ArtifactEntry> Held(string folder)
    {
        var marker = Path.Combine(folder, CompleteMarker);
        return !File.Exists(marker) ? [] :
        [
            .. File.ReadAllLines(marker).Select(l => l.Split(' ')).Where(p => p.Length == 3 && long.TryParse(p[2], out _))
                .Select(p => new ArtifactEntry(p[0], p[1], long.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture))),
        ];
    }

    private static Task WriteMarkerAsync(string folder, IEnumerable<ArtifactEntry> files, CancellationToken cancellationToken) =>
        File.WriteAllLinesAsync(Path.Combine(folder, CompleteMarker), files.Select(f => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{f.Name} {f.Sha256} {f.SizeBytes}")), cancellationToken);

    // One file into a complete copy: downloaded and checked beside it, then moved over the old one.
    private async Task FetchAsync(int number, ArtifactEntry file, string folder, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(folder, $".{file.Name}.{Guid.NewGuid():N}.fetch");
        try
        {
            await store.DownloadVerifiedAsync(VersionKey(number, file.Name), staging, file.Sha256, file.SizeBytes, RecordedBy, cancellationToken).ConfigureAwait(false);
            File.Move(staging, Path.Combine(folder, file.Name), overwrite: true);
        }
        finally
        {
            File.Delete(staging);
        }
    }
}

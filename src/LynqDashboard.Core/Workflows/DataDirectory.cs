namespace LynqDashboard.Core.Workflows;

/// <summary>
/// Where the embedded deployment keeps its files: registry.db, datasets/{id}.csv and models/v{n}/. The
/// registry stores paths relative to this root, so the folder can move.
/// </summary>
public sealed class DataDirectory
{
    public DataDirectory(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string RegistryDatabase => Path.Combine(Root, "registry.db");

    public string DatasetCsv(Guid datasetId) => Path.Combine(Root, "datasets", $"{datasetId:N}.csv");

    public string VersionFolder(int number) => Path.Combine(Root, "models", $"v{number}");

    public string Relative(string path) => Path.GetRelativePath(Root, path);

    /// <summary>The absolute path of a stored relative path; refuses anything that escapes the root.</summary>
    public string Resolve(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(Root, relativePath));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The stored path '{relativePath}' points outside the data directory.");
        }

        return full;
    }

    /// <summary>Where a scoring node keeps the model folders it downloaded from S3 (one per manifest).</summary>
    public string S3Cache => Path.Combine(Root, "s3-cache");

    public void EnsureCreated()
    {
        Directory.CreateDirectory(Path.Combine(Root, "datasets"));
        Directory.CreateDirectory(Path.Combine(Root, "models"));
    }

    /// <summary>
    /// Removes what a killed process left half-written: version folders being written (.v{n}.{id}.tmp), fetched
    /// (v{n}.{id}.fetch) or replaced (v{n}.{id}.old) under models/; dataset files being generated or fetched under
    /// datasets/; downloads in s3-cache/ and cache folders that never got both model files. Names carry a 32-digit id,
    /// so a complete version folder (v{n}) or dataset ({id}.csv) never matches; a replaced version whose successor never
    /// arrived (v{n}.{id}.old without v{n}) is moved back instead. Call it before any job starts here.
    /// </summary>
    /// <returns>The paths removed.</returns>
    public IReadOnlyList<string> SweepLeftovers()
    {
        var removed = new List<string>();
        void Remove(string path)
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }

            removed.Add(path);
        }

        foreach (var folder in Entries(Path.Combine(Root, "models"), directories: true).Where(name => IsLeftover(name, ".tmp", ".fetch", ".old")))
        {
            // Killed between "move the old version aside" and "move the new one in": the old one goes back.
            var replaced = folder.EndsWith(".old", StringComparison.Ordinal) ? folder[..^(1 + IdLength + ".old".Length)] : null;
            if (replaced is not null && !Directory.Exists(replaced))
            {
                Directory.Move(folder, replaced);
                continue;
            }

            Remove(folder);
        }

        foreach (var file in Entries(Path.Combine(Root, "datasets"), directories: false).Where(name => IsLeftover(name, ".tmp", ".fetch")))
        {
            Remove(file);
        }

        foreach (var folder in Entries(S3Cache, directories: true))
        {
            foreach (var download in Entries(folder, directories: false).Where(name => IsLeftover(name, ".tmp")))
            {
                Remove(download);
            }

            if (!File.Exists(Path.Combine(folder, Artifacts.ModelArtifacts.ModelFile)) || !File.Exists(Path.Combine(folder, Artifacts.ModelArtifacts.FeatureConfigFile)))
            {
                Remove(folder);
            }
        }

        return removed;
    }

    private static IEnumerable<string> Entries(string folder, bool directories) =>
        !Directory.Exists(folder) ? [] : directories ? Directory.GetDirectories(folder) : Directory.GetFiles(folder);

    // A Guid in "N" form: what every writer puts in its temporary names.
    private const int IdLength = 32;

    // "{name}.{32 hex digits}{suffix}", the shape of every temporary name the writers use.
    private static bool IsLeftover(string path, params string[] suffixes)
    {
        var name = Path.GetFileName(path);
        foreach (var suffix in suffixes)
        {
            if (!name.EndsWith(suffix, StringComparison.Ordinal))
            {
                continue;
            }

            var stem = name[..^suffix.Length];
            var dot = stem.LastIndexOf('.');
            if (dot > 0 && stem.Length - dot - 1 == IdLength && stem[(dot + 1)..].All(Uri.IsHexDigit))
            {
                return true;
            }
        }

        return false;
    }
}

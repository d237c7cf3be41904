using LynqDashboard.Core.Storage;

namespace LynqDashboard.Core.Artifacts;

/// <summary>What a killed process left half-written in the data folder, found by the temporary names every writer uses.</summary>
public static class LeftoverSweep
{
    /// <summary>
    /// Removes what a killed process left half-written: version folders being written (.v{n}.{id}.tmp), fetched
    /// (v{n}.{id}.fetch) or replaced (v{n}.{id}.old) under models/; dataset files being generated or fetched under
    /// datasets/; downloads in s3-cache/ and cache folders that never got both model files. Names carry a 32-digit id,
    /// so a complete version folder (v{n}) or dataset ({id}.csv) never matches; a replaced version whose successor never
    /// arrived (v{n}.{id}.old without v{n}) is moved back instead. Call it before any job starts in the process that owns the folder.
    /// </summary>
    /// <returns>The paths removed.</returns>
    public static IReadOnlyList<string> Sweep(DataDirectory data)
    {
        ArgumentNullException.ThrowIfNull(data);
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

        foreach (var folder in Entries(Path.Combine(data.Root, "models"), directories: true).Where(name => IsLeftover(name, ".tmp", ".fetch", ".old")))
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

        foreach (var file in Entries(Path.Combine(data.Root, "datasets"), directories: false).Where(name => IsLeftover(name, ".tmp", ".fetch")))
        {
            Remove(file);
        }

        foreach (var folder in Entries(data.S3Cache, directories: true))
        {
            foreach (var download in Entries(folder, directories: false).Where(name => IsLeftover(name, ".tmp")))
            {
                Remove(download);
            }

            if (!File.Exists(Path.Combine(folder, ModelArtifacts.ModelFile)) || !File.Exists(Path.Combine(folder, ModelArtifacts.FeatureConfigFile)))
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

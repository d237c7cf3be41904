namespace LynqDashboard.Core.Storage;

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
}

using System.Text.Json;
using LynqDashboard.Core.Serialization;

namespace LynqDashboard.Core.Data;

/// <summary>The JSON written beside every dataset CSV: where it came from and how to recognise its bytes.</summary>
public sealed record DatasetManifest
{
    public required string FileName { get; init; }
    public required long RowCount { get; init; }
    public required long Defaults { get; init; }
    public required double ObservedDefaultRate { get; init; }
    public required IReadOnlyList<string> Columns { get; init; }
    public required string Sha256 { get; init; }
    public required long SizeBytes { get; init; }

    /// <summary>The generator's parameters; null for a file a user supplied.</summary>
    public GeneratorParameters? Generator { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The manifest path for a CSV: data.csv → data.manifest.json.</summary>
    public static string PathFor(string csvPath) => Path.ChangeExtension(csvPath, ".manifest.json");

    public async Task SaveAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, this, LynqJson.Options, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<DatasetManifest> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<DatasetManifest>(stream, LynqJson.Options, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"{path} holds no dataset manifest.");
    }
}

/// <summary>The generator parameters as recorded in a manifest (label mode by its CLI name).</summary>
public sealed record GeneratorParameters(int Rows, long Seed, double DefaultRate, string LabelMode, string GeneratorVersion)
{
    /// <summary>Bumped whenever the same parameters would give different bytes.</summary>
    public const string CurrentVersion = "lynq-gen/2";

    public static GeneratorParameters From(DatasetParameters p) =>
        new(p.Rows, p.Seed, p.DefaultRate, p.LabelMode.ToName(), CurrentVersion);
}

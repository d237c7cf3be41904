namespace LynqDashboard.Core.Storage;

/// <summary>
/// The S3 layout (compatible with the original uploader): for prefix P, <c>P.zip</c> and <c>P_config.json</c>,
/// then <c>P_manifest.json</c> written last, naming each object with its SHA-256; a production pointer object names
/// the current manifest. Readers only follow the pointer, so they never see a half-promoted model.
/// </summary>
/// <param name="Version">The version label (the registry number).</param>
/// <param name="Objects">Every object of the version with its digest.</param>
/// <param name="PromotedAt">When the manifest was written.</param>
/// <param name="PromotedBy">Who promoted it.</param>
/// <param name="SourceRun">The registry version or run it came from.</param>
public sealed record PromotionManifest(string Version, IReadOnlyList<ManifestObject> Objects, DateTimeOffset PromotedAt, string? PromotedBy, string? SourceRun)
{
    public const string ModelRole = "model";
    public const string ConfigRole = "config";

    /// <summary>The documentation pack (P_report.pdf): for people; scoring nodes load only the model and the config.</summary>
    public const string ReportRole = "report";
}

/// <param name="Key">Object key in the bucket.</param>
/// <param name="Role">"model" (the ML.NET zip), "config" (feature_config.json) or "report" (model_report.pdf).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the bytes.</param>
/// <param name="SizeBytes">Size in bytes.</param>
public sealed record ManifestObject(string Key, string Role, string Sha256, long SizeBytes);

/// <summary>The production pointer (e.g. models/production.json): the manifest readers should serve.</summary>
public sealed record ProductionPointer(string Manifest, string Version, DateTimeOffset UpdatedAt);

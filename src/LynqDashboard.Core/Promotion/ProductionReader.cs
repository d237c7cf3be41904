using System.Text.Json;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Core.Promotion;

/// <summary>How far a read of the production pointer and the manifest it names got.</summary>
public enum ProductionReadOutcome
{
    /// <summary>There is no pointer object: nothing has been promoted to the bucket yet.</summary>
    NoPointer,

    /// <summary>The pointer object is not a production pointer (not JSON of one, or it names no manifest).</summary>
    PointerUnreadable,

    /// <summary>The pointer still names the manifest the caller already serves, so that was not read again.</summary>
    Unchanged,

    /// <summary>The manifest is not in the bucket.</summary>
    ManifestMissing,

    /// <summary>The manifest is not a manifest (not JSON of one, or it names no objects).</summary>
    ManifestUnreadable,

    /// <summary>The pointer (when one was followed) and the manifest were both read.</summary>
    Ready,
}

/// <summary>What a reader found behind the production pointer, or at one manifest key.</summary>
/// <param name="Outcome">How far the read got.</param>
/// <param name="ProductionPointer">The pointer; null when there is none, it was unreadable, or a manifest was read by its key.</param>
/// <param name="ManifestKey">The manifest the pointer names, or the one asked for; null when no pointer named one.</param>
/// <param name="Manifest">The manifest; set only when <see cref="Outcome"/> is Ready.</param>
/// <param name="Problem">What is wrong, in words that name the object; null when Ready or Unchanged.</param>
public sealed record ProductionRead(ProductionReadOutcome Outcome, ProductionPointer? ProductionPointer, string? ManifestKey, PromotionManifest? Manifest, string? Problem);

/// <summary>
/// The one reader of what readers serve: the production pointer, then the manifest it names. Every caller (the
/// preflight, the promotion and rollback, the Promotions page, a scoring node) gets the same typed outcome and the
/// same words for each way it can be wrong. A storage failure stays an <see cref="ObjectStoreException"/>.
/// </summary>
public static class ProductionReader
{
    /// <summary>Reads the pointer at <paramref name="pointerKey"/>, then the manifest it names.</summary>
    public static Task<ProductionRead> ReadProductionAsync(this IObjectStore store, string pointerKey, CancellationToken cancellationToken) =>
        store.ReadProductionAsync(pointerKey, servedManifestKey: null, cancellationToken);

    /// <summary>Reads the pointer, then the manifest it names unless that is <paramref name="servedManifestKey"/> (outcome Unchanged: one small read per check).</summary>
    /// <param name="store">The bucket.</param>
    /// <param name="pointerKey">The production pointer (e.g. models/production.json).</param>
    /// <param name="servedManifestKey">The manifest the caller already serves; null to always read the manifest.</param>
    /// <param name="cancellationToken">Stops the reads.</param>
    public static async Task<ProductionRead> ReadProductionAsync(this IObjectStore store, string pointerKey, string? servedManifestKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var bytes = await store.ReadAsync(pointerKey, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return new(ProductionReadOutcome.NoPointer, null, null, null,
                $"s3://{store.Bucket}/{pointerKey} does not exist: nothing has been promoted to this bucket yet.");
        }

        var (pointer, why) = Parse<ProductionPointer>(bytes);
        if (pointer is null || string.IsNullOrWhiteSpace(pointer.Manifest))
        {
            return new(ProductionReadOutcome.PointerUnreadable, null, null, null,
                $"s3://{store.Bucket}/{pointerKey} is not a production pointer ({why ?? "it names no manifest"}).");
        }

        return pointer.Manifest == servedManifestKey
            ? new(ProductionReadOutcome.Unchanged, pointer, pointer.Manifest, null, null)
            : await ReadAsync(store, pointer.Manifest, pointer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one manifest by its key (a rollback's target, or a scoring node told S3_KEY=…_manifest.json).</summary>
    public static Task<ProductionRead> ReadManifestAsync(this IObjectStore store, string manifestKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return ReadAsync(store, manifestKey, pointer: null, cancellationToken);
    }

    private static async Task<ProductionRead> ReadAsync(IObjectStore store, string manifestKey, ProductionPointer? pointer, CancellationToken cancellationToken)
    {
        var where = $"s3://{store.Bucket}/{manifestKey}{(pointer is null ? string.Empty : ", which the production pointer names,")}";
        var bytes = await store.ReadAsync(manifestKey, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return new(ProductionReadOutcome.ManifestMissing, pointer, manifestKey, null, $"{where} does not exist.");
        }

        var (manifest, why) = Parse<PromotionManifest>(bytes);
        return manifest is { Objects.Count: > 0 }
            ? new(ProductionReadOutcome.Ready, pointer, manifestKey, manifest, null)
            : new(ProductionReadOutcome.ManifestUnreadable, pointer, manifestKey, null, $"{where} is not a valid manifest ({why ?? "it names no objects"}).");
    }

    private static (T? Value, string? Why) Parse<T>(byte[] bytes)
        where T : class
    {
        try
        {
            return (JsonSerializer.Deserialize<T>(bytes, LynqJson.Options), null);
        }
        catch (JsonException e)
        {
            return (null, e.Message);
        }
    }
}

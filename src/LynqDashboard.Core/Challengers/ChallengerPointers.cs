using System.Globalization;
using System.Text.Json;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Core.Challengers;

/// <summary>The split pointer (models/split.json): the challenger's manifest, its version and the share of wallets it answers.</summary>
public sealed record SplitPointer(string Manifest, string Version, double Percent, DateTimeOffset UpdatedAt);

/// <summary>
/// Publishes the shadow and the split to the promotion bucket as a promotion publishes production: the version's
/// objects (<see cref="PromotionWorkflow.Objects"/>, uploaded unless already there with the same SHA-256, each read
/// back and compared), its manifest, and last the pointer beside production's, so an S3 scoring node never follows a
/// pointer to half-written objects. Clearing deletes the pointer (the objects stay: a promotion may use them).
/// </summary>
public sealed class ChallengerPointers(PromotionTarget target, IObjectStoreFactory stores, IArtifactStore artifacts, TimeProvider clock)
{
    public string Bucket => target.Bucket ?? string.Empty;

    public string ShadowPointerKey => PromotionLayout.ShadowPointerKey(target.PointerKey);

    public string SplitPointerKey => PromotionLayout.SplitPointerKey(target.PointerKey);

    public async Task PublishShadowAsync(ModelVersionRecord version, string actor, CancellationToken cancellationToken)
    {
        var (store, manifestKey) = await PublishVersionAsync(version, actor, cancellationToken).ConfigureAwait(false);
        await store.WriteAsync(ShadowPointerKey, Json(new ProductionPointer(manifestKey, Number(version), clock.GetUtcNow())), "application/json", CancellationToken.None).ConfigureAwait(false);
    }

    public async Task PublishSplitAsync(ModelVersionRecord version, double percent, string actor, CancellationToken cancellationToken)
    {
        var (store, manifestKey) = await PublishVersionAsync(version, actor, cancellationToken).ConfigureAwait(false);
        await store.WriteAsync(SplitPointerKey, Json(new SplitPointer(manifestKey, Number(version), percent, clock.GetUtcNow())), "application/json", CancellationToken.None).ConfigureAwait(false);
    }

    public Task ClearShadowAsync(CancellationToken cancellationToken) => stores.Open(Bucket).DeleteAsync(ShadowPointerKey, cancellationToken);

    public Task ClearSplitAsync(CancellationToken cancellationToken) => stores.Open(Bucket).DeleteAsync(SplitPointerKey, cancellationToken);

    private async Task<(IObjectStore Store, string ManifestKey)> PublishVersionAsync(ModelVersionRecord version, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        var store = stores.Open(Bucket);
        var prefix = PromotionLayout.Prefix(target.KeyPrefixTemplate, version.Number);
        var objects = PromotionWorkflow.Objects(prefix, version);
        var folder = await artifacts.VersionFolderAsync(version, cancellationToken).ConfigureAwait(false);
        foreach (var item in objects)
        {
            var existing = await store.FindAsync(item.Key, cancellationToken).ConfigureAwait(false);
            if (existing is null || existing.SizeBytes != item.SizeBytes || existing.Sha256 != item.Sha256)
            {
                await store.UploadFileAsync(item.Key, Path.Combine(folder, PromotionLayout.FileOf(item.Role)), item.Sha256, null, cancellationToken).ConfigureAwait(false);
            }

            var digest = await store.DigestAsync(item.Key, null, cancellationToken).ConfigureAwait(false);
            if (!digest.Matches(item.Sha256, item.SizeBytes))
            {
                throw new ObjectStoreException(ObjectStoreException.ChecksumMismatch,
                    $"s3://{store.Bucket}/{item.Key} read back with SHA-256 {digest.Sha256[..12]}…, but the registry holds {item.Sha256[..12]}…: the bytes changed on the way. No pointer was written.");
            }
        }

        // A manifest a promotion wrote for these very objects stays as it is (its promotion time is history); else write ours.
        var manifestKey = PromotionLayout.ManifestKey(prefix);
        var existingManifest = await store.ReadManifestAsync(manifestKey, cancellationToken).ConfigureAwait(false);
        var same = existingManifest.Manifest is { } m
            && m.Objects.OrderBy(o => o.Key, StringComparer.Ordinal).SequenceEqual(objects.OrderBy(o => o.Key, StringComparer.Ordinal));
        if (!same)
        {
            var manifest = new PromotionManifest(Number(version), objects, clock.GetUtcNow(), actor, $"{version.Label} ({version.Id}) as challenger");
            await store.WriteAsync(manifestKey, Json(manifest), "application/json", cancellationToken).ConfigureAwait(false);
        }

        return (store, manifestKey);
    }

    private static string Number(ModelVersionRecord version) => version.Number.ToString(CultureInfo.InvariantCulture);

    private static byte[] Json<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, LynqJson.Options);
}

using System.Globalization;
using System.Security.Cryptography;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Infrastructure.Storage;

/// <summary>Where a scoring node reads its model: the original service's S3_BUCKET and S3_KEY.</summary>
/// <param name="Bucket">The bucket.</param>
/// <param name="Key">The production pointer (e.g. models/production.json) or one version's *_manifest.json.</param>
/// <param name="CacheKeep">Model folders kept in s3-cache/, the serving one included (default 3); older ones are removed after each swap.</param>
public sealed record S3ModelLocation(string Bucket, string Key, int CacheKeep = 3);

/// <summary>
/// MODEL_SOURCE=s3: follow the pointer to a manifest, download each object it names verified against it, load, and
/// swap. Anything wrong (missing bucket, denied, a changed byte) keeps the current model serving and is reported in
/// words with the S3 error code. An unchanged manifest costs one small GET per check.
/// </summary>
/// <param name="stores">The buckets (the one S3 client setup, Lynq:S3).</param>
/// <param name="location">The bucket and pointer (or manifest) key.</param>
/// <param name="data">This node's data folder; downloads go to its s3-cache/.</param>
/// <param name="active">The model this node serves.</param>
/// <param name="clock">The one clock.</param>
public sealed class S3ModelSource(IObjectStoreFactory stores, S3ModelLocation location, DataDirectory data, ActiveModel active, TimeProvider clock) : IModelSource, IDisposable
{
    // What a manifest's entries are checked against, in the words of a mismatch.
    private const string RecordedBy = "its manifest";

    private readonly IObjectStore _store = stores.Open(location.Bucket);
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private string? _servedManifest;

    public async Task<bool> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var isManifest = location.Key.EndsWith("_manifest.json", StringComparison.Ordinal);
            if (isManifest && location.Key == _servedManifest)
            {
                return false;
            }

            var production = isManifest
                ? await _store.ReadManifestAsync(location.Key, cancellationToken).ConfigureAwait(false)
                : await _store.ReadProductionAsync(location.Key, _servedManifest, cancellationToken).ConfigureAwait(false);
            if (production.Outcome == ProductionReadOutcome.Unchanged)
            {
                return false;
            }

            if (production is not { Manifest: { } manifest, ManifestKey: { } manifestKey })
            {
                Fail(production.Problem!);
                return false;
            }

            var folder = Path.Combine(data.S3Cache, Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{location.Bucket}/{manifestKey}")))[..16]);
            Directory.CreateDirectory(folder);
            await DownloadAsync(manifest, PromotionManifest.ModelRole, Path.Combine(folder, ModelArtifacts.ModelFile), cancellationToken).ConfigureAwait(false);
            await DownloadAsync(manifest, PromotionManifest.ConfigRole, Path.Combine(folder, ModelArtifacts.FeatureConfigFile), cancellationToken).ConfigureAwait(false);
            var model = ScoringModel.Load(folder);
            var number = int.TryParse(manifest.Version, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
            active.Swap(new ServingModel(model, "s3", manifestKey, number, clock.GetUtcNow(), manifest.PromotedAt));
            _servedManifest = manifestKey;
            Directory.SetLastWriteTimeUtc(folder, clock.GetUtcNow().UtcDateTime); // the newest folder is the one served last
            PruneCache(folder);
            return true;
        }
        catch (ObjectStoreException e)
        {
            Fail($"[{e.Code}] {e.Message}");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException or FormatException or UnauthorizedAccessException)
        {
            Fail(e.Message);
        }
        finally
        {
            _refreshing.Release();
        }

        return false;
    }

    public void Dispose() => _refreshing.Dispose();

    // Every promotion adds a folder; keep the serving one and the ones served most recently before it (a rollback
    // usually returns to one of those), remove the rest. Best effort: a folder that cannot go now goes next time.
    private void PruneCache(string serving)
    {
        var older = new DirectoryInfo(data.S3Cache).GetDirectories()
            .Where(d => !string.Equals(d.FullName, Path.GetFullPath(serving), StringComparison.Ordinal))
            .OrderByDescending(d => d.LastWriteTimeUtc)
            .Skip(Math.Max(0, location.CacheKeep - 1));
        foreach (var folder in older)
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private void Fail(string reason)
    {
        var current = active.Current;
        active.ReportFailure($"The model in S3 could not be loaded: {reason.TrimEnd('.')}; still serving {(current.Model is null ? "the rule-based fallback" : $"version {current.Model.Version}")}.");
    }

    private Task DownloadAsync(PromotionManifest manifest, string role, string target, CancellationToken cancellationToken)
    {
        var entry = manifest.Objects.FirstOrDefault(o => o.Role == role)
            ?? throw new InvalidDataException($"the manifest of version {manifest.Version} names no {role} object");
        return _store.DownloadVerifiedAsync(entry.Key, target, entry.Sha256, entry.SizeBytes, RecordedBy, cancellationToken);
    }
}

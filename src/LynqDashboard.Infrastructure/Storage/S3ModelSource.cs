using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Infrastructure.Storage;

/// <summary>Where a scoring node reads its model: the original service's S3_BUCKET and S3_KEY.</summary>
/// <param name="Bucket">The bucket.</param>
/// <param name="Key">The production pointer (e.g. models/production.json) or one version's *_manifest.json.</param>
public sealed record S3ModelLocation(string Bucket, string Key);

/// <summary>
/// MODEL_SOURCE=s3: follow the pointer to a manifest, download each object it names, check size and SHA-256,
/// load, and swap. Anything wrong (missing bucket, denied, a changed byte) keeps the current model serving and
/// is reported in words with the S3 error code. An unchanged manifest costs one small GET per check.
/// </summary>
/// <param name="s3">The client.</param>
/// <param name="location">The bucket and pointer (or manifest) key.</param>
/// <param name="data">This node's data folder; downloads go to its s3-cache/.</param>
/// <param name="active">The model this node serves.</param>
/// <param name="clock">The one clock.</param>
/// <param name="cacheKeep">Model folders kept in s3-cache/, the serving one included (default 3); older ones are removed after each swap.</param>
public sealed class S3ModelSource(IAmazonS3 s3, S3ModelLocation location, DataDirectory data, ActiveModel active, TimeProvider clock, int cacheKeep = 3) : IModelSource, IDisposable
{
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private string? _servedManifest;

    public async Task<bool> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var manifestKey = location.Key.EndsWith("_manifest.json", StringComparison.Ordinal)
                ? location.Key
                : (await ReadJsonAsync<ProductionPointer>(location.Key, cancellationToken).ConfigureAwait(false)).Manifest;
            if (manifestKey == _servedManifest)
            {
                return false;
            }

            var manifest = await ReadJsonAsync<PromotionManifest>(manifestKey, cancellationToken).ConfigureAwait(false);
            var folder = Path.Combine(data.S3Cache, Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{location.Bucket}/{manifestKey}")))[..16]);
            Directory.CreateDirectory(folder);
            await DownloadVerifiedAsync(manifest, PromotionManifest.ModelRole, Path.Combine(folder, ModelArtifacts.ModelFile), cancellationToken).ConfigureAwait(false);
            await DownloadVerifiedAsync(manifest, PromotionManifest.ConfigRole, Path.Combine(folder, ModelArtifacts.FeatureConfigFile), cancellationToken).ConfigureAwait(false);
            var model = ScoringModel.Load(folder);
            var number = int.TryParse(manifest.Version, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
            active.Swap(new ServingModel(model, "s3", manifestKey, number, clock.GetUtcNow(), manifest.PromotedAt));
            _servedManifest = manifestKey;
            Directory.SetLastWriteTimeUtc(folder, clock.GetUtcNow().UtcDateTime); // the newest folder is the one served last
            PruneCache(folder);
            return true;
        }
        catch (AmazonS3Exception e)
        {
            Fail($"S3 said {e.ErrorCode ?? e.StatusCode.ToString()} for s3://{location.Bucket}/{location.Key} ({e.Message})");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or JsonException or HttpRequestException or InvalidOperationException)
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
            .Skip(Math.Max(0, cacheKeep - 1));
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
        active.ReportFailure($"The model in S3 could not be loaded: {reason}; still serving {(current.Model is null ? "the rule-based fallback" : $"version {current.Model.Version}")}.");
    }

    private async Task<T> ReadJsonAsync<T>(string key, CancellationToken cancellationToken)
    {
        using var response = await s3.GetObjectAsync(location.Bucket, key, cancellationToken).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync<T>(response.ResponseStream, LynqJson.Options, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"s3://{location.Bucket}/{key} is empty.");
    }

    // Streams to a temporary file while hashing; only a file whose size and digest match the manifest is kept.
    private async Task DownloadVerifiedAsync(PromotionManifest manifest, string role, string target, CancellationToken cancellationToken)
    {
        var entry = manifest.Objects.FirstOrDefault(o => o.Role == role)
            ?? throw new InvalidDataException($"the manifest of version {manifest.Version} names no {role} object");
        var temporary = $"{target}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var response = await s3.GetObjectAsync(location.Bucket, entry.Key, cancellationToken).ConfigureAwait(false))
            await using (var file = File.Create(temporary))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                long size = 0;
                int read;
                while ((read = await response.ResponseStream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    size += read;
                }

                var digest = Convert.ToHexStringLower(hash.GetHashAndReset());
                if (size != entry.SizeBytes || digest != entry.Sha256)
                {
                    throw new InvalidDataException($"{entry.Key} does not match its manifest (SHA-256 {digest[..12]}…, {size:N0} bytes; expected {entry.Sha256[..Math.Min(12, entry.Sha256.Length)]}…, {entry.SizeBytes:N0} bytes)");
                }
            }

            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}

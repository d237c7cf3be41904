using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Challengers;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Infrastructure.Storage;

/// <summary>
/// MODEL_SOURCE=s3: the shadow and split pointers beside the production pointer this node follows (models/shadow.json,
/// models/split.json), each read on every refresh and its manifest's objects downloaded verified, as production's are.
/// A missing pointer is "off"; one that cannot be followed drops that challenger and production keeps serving.
/// A node told S3_KEY=…_manifest.json (no pointer) has no challengers.
/// </summary>
public sealed class S3ChallengerSource(IObjectStoreFactory stores, S3ModelLocation location, DataDirectory data, ActiveChallengers active) : IDisposable
{
    private const string RecordedBy = "its manifest";

    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly Dictionary<string, (Core.Scoring.ScoringModel Model, int Number)> _loaded = new(StringComparer.Ordinal);
    private IObjectStore? _store;

    /// <summary>Where this node keeps challenger downloads (beside s3-cache/, whose pruning is production's).</summary>
    public string CacheFolder => Path.Combine(data.Root, "s3-challengers");

    /// <summary>Loads what the pointers name now, off the request path, and swaps it in when it changed; returns why an assignment was dropped, one line each.</summary>
    public async Task<IReadOnlyList<string>> RefreshAsync(CancellationToken cancellationToken = default)
    {
        if (location.Key.EndsWith("_manifest.json", StringComparison.Ordinal))
        {
            return [];
        }

        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _store ??= stores.Open(location.Bucket);
            var warnings = new List<string>();
            var shadow = await FollowAsync(PromotionLayout.ShadowPointerKey(location.Key), "shadow", warnings, cancellationToken).ConfigureAwait(false);
            var split = await FollowAsync(PromotionLayout.SplitPointerKey(location.Key), "split challenger", warnings, cancellationToken).ConfigureAwait(false);
            var next = new ChallengerModels(
                shadow is { } s ? new ShadowModel(s.Loaded.Model, s.Loaded.Number) : null,
                split is { } p ? new SplitModel(p.Loaded.Model, p.Loaded.Number, p.Percent) : null);
            if (next.Shadow != active.Current.Shadow || next.Split != active.Current.Split)
            {
                active.Swap(next);
            }

            // Keep only what is loaded now.
            foreach (var key in _loaded.Keys.Where(k => k != shadow?.ManifestKey && k != split?.ManifestKey).ToList())
            {
                _loaded.Remove(key);
            }

            return warnings;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public void Dispose() => _refreshing.Dispose();

    private async Task<((Core.Scoring.ScoringModel Model, int Number) Loaded, string ManifestKey, double Percent)?> FollowAsync(string pointerKey, string what, List<string> warnings, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await _store!.ReadAsync(pointerKey, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                return null;
            }

            var pointer = JsonSerializer.Deserialize<SplitPointer>(bytes, LynqJson.Options);
            if (pointer is not { Manifest.Length: > 0 })
            {
                warnings.Add($"s3://{location.Bucket}/{pointerKey} names no manifest; the {what} was dropped.");
                return null;
            }

            var percent = pointer.Percent;
            if (what != "shadow" && WalletSplit.Problem(percent) is { } problem)
            {
                warnings.Add($"s3://{location.Bucket}/{pointerKey}: percent {problem}; the split was dropped.");
                return null;
            }

            if (_loaded.TryGetValue(pointer.Manifest, out var loaded))
            {
                return (loaded, pointer.Manifest, percent);
            }

            var read = await _store.ReadManifestAsync(pointer.Manifest, cancellationToken).ConfigureAwait(false);
            if (read.Manifest is not { } manifest)
            {
                warnings.Add($"The {what}: {read.Problem} It was dropped.");
                return null;
            }

            var folder = Path.Combine(CacheFolder, Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{location.Bucket}/{pointer.Manifest}")))[..16]);
            Directory.CreateDirectory(folder);
            await DownloadAsync(manifest, PromotionManifest.ModelRole, Path.Combine(folder, ModelArtifacts.ModelFile), cancellationToken).ConfigureAwait(false);
            await DownloadAsync(manifest, PromotionManifest.ConfigRole, Path.Combine(folder, ModelArtifacts.FeatureConfigFile), cancellationToken).ConfigureAwait(false);
            var model = await Task.Run(() => ScoringModel.Load(folder), cancellationToken).ConfigureAwait(false);
            var number = int.TryParse(manifest.Version, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
            var challenger = (model, number);
            _loaded[pointer.Manifest] = challenger;
            return (challenger, pointer.Manifest, percent);
        }
        catch (ObjectStoreException e)
        {
            warnings.Add($"The {what} in s3://{location.Bucket}/{pointerKey} could not be loaded: [{e.Code}] {e.Message} It was dropped; production keeps serving.");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException or InvalidOperationException or FormatException or UnauthorizedAccessException or ArgumentException)
        {
            warnings.Add($"The {what} in s3://{location.Bucket}/{pointerKey} could not be loaded: {e.Message} It was dropped; production keeps serving.");
        }

        return null;
    }

    private Task DownloadAsync(PromotionManifest manifest, string role, string target, CancellationToken cancellationToken)
    {
        var entry = manifest.Objects.FirstOrDefault(o => o.Role == role)
            ?? throw new InvalidDataException($"the manifest of version {manifest.Version} names no {role} object");
        return _store!.DownloadVerifiedAsync(entry.Key, target, entry.Sha256, entry.SizeBytes, RecordedBy, cancellationToken);
    }
}

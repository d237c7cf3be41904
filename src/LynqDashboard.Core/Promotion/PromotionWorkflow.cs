using System.Globalization;
using System.Text.Json;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Core.Promotion;

/// <summary>
/// Promotes a version to its bucket: preflight, upload P.zip, P_config.json and P_report.pdf, read each back and compare
/// SHA-256 with the registry, write P_manifest.json, then move the production pointer, then the registry.
/// Readers only follow the pointer, so until the last S3 write nothing they see changes; a failure before it
/// deletes what this run uploaded. Re-entrant and idempotent: a finished record is left alone, and promoting
/// the version that already serves rewrites nothing.
/// </summary>
public sealed class PromotionWorkflow(
    IModelRegistry registry,
    RunLifecycle<PromotionRecord> runs,
    IObjectStoreFactory stores,
    PromotionPreflight preflight,
    RollbackWorkflow rollback,
    IArtifactStore artifacts,
    TimeProvider clock)
{
    // Share of the bar each stage fills: preflight, upload, read-back, manifest and pointer.
    private const double PreflightShare = 0.10, UploadShare = 0.60, VerifyShare = 0.25;

    public async Task RunAsync(Guid promotionId, CancellationToken cancellationToken)
    {
        if (await runs.FindActiveAsync(promotionId, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return;
        }

        var run = new PromotionRun(record, runs, clock);
        await run.StartAsync().ConfigureAwait(false);
        if (record.Kind == PromotionKind.Rollback)
        {
            await rollback.RunAsync(run, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (record.IsRegistryOnly)
        {
            await DesignateAsync(run, cancellationToken).ConfigureAwait(false);
            return;
        }

        var store = stores.Open(record.Bucket);
        var uploaded = new List<string>();
        IReadOnlySet<string> live = new HashSet<string>();
        var pointerMoved = false;
        try
        {
            var version = await registry.GetVersionAsync(record.VersionId, cancellationToken).ConfigureAwait(false);
            run.Relay.Report("preflight", 0, 0, 0);
            var checks = await preflight.RunAsync(record, version, store, run.SaveChecksAsync, cancellationToken).ConfigureAwait(false);
            if (await run.FailOnChecksAsync(checks, "Preflight failed:", "Nothing was written to the bucket.").ConfigureAwait(false))
            {
                return;
            }

            var objects = Objects(record.KeyPrefix, version!);
            var folder = await artifacts.VersionFolderAsync(version!, cancellationToken).ConfigureAwait(false);
            live = await LiveKeysAsync(store, record.PointerKey, cancellationToken).ConfigureAwait(false);
            await UploadAsync(store, objects, folder, uploaded, run, cancellationToken).ConfigureAwait(false);
            await VerifyAsync(store, objects, run, cancellationToken).ConfigureAwait(false);

            run.Relay.Report("publishing manifest", PreflightShare + UploadShare + VerifyShare, 0, 0);
            var manifestKey = PromotionLayout.ManifestKey(record.KeyPrefix);
            var alreadyServing = await ServesAlreadyAsync(store, record.PointerKey, manifestKey, objects, cancellationToken).ConfigureAwait(false);
            if (!alreadyServing)
            {
                var now = clock.GetUtcNow();
                var number = record.VersionNumber.ToString(CultureInfo.InvariantCulture);
                await store.WriteAsync(manifestKey, Json(new PromotionManifest(number, objects, now, record.RequestedBy, $"v{number} ({version!.Id})")), "application/json", cancellationToken).ConfigureAwait(false);

                // The last S3 write: from here on readers serve the new version, so nothing after this deletes objects.
                await MovePointerAsync(store, record.PointerKey, manifestKey, record.VersionNumber, now).ConfigureAwait(false);
                pointerMoved = true;
            }

            var took = clock.GetUtcNow() - (record.StartedAt ?? clock.GetUtcNow());
            await run.SucceedAsync(p =>
            {
                (p.Objects, p.ManifestKey) = (objects, manifestKey);
                p.Progress.Done = p.Progress.Total;
            }, $"s3://{record.Bucket}/{manifestKey}{(alreadyServing ? " (already serving; verified, nothing rewritten)" : string.Empty)}; " +
               string.Join("; ", objects.Select(o => $"{o.Key} sha256 {o.Sha256}"))).ConfigureAwait(false);
        }
        catch (ObjectStoreException e)
        {
            var cleanup = pointerMoved ? string.Empty : await RemoveAsync(store, uploaded, live).ConfigureAwait(false);
            await run.FailAsync(e.Code, $"{e.Message}{cleanup} The production pointer was {(pointerMoved ? "moved; retry to bring the registry in line" : "not changed")}.").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var cleanup = pointerMoved ? string.Empty : await RemoveAsync(store, uploaded, live).ConfigureAwait(false);
            await run.InterruptedAsync($"The server stopped during the promotion.{cleanup} Retry it.").ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var cleanup = pointerMoved ? string.Empty : await RemoveAsync(store, uploaded, live).ConfigureAwait(false);
            await run.FailAsync("Unexpected", $"{e.Message}{cleanup}{(pointerMoved ? " The pointer already names the new version: retry to bring the registry in line." : " The production pointer was not changed.")}").ConfigureAwait(false);
            throw;
        }
    }

    // No bucket: the same checks that need none, then the registry's one production transaction.
    private async Task DesignateAsync(PromotionRun run, CancellationToken cancellationToken)
    {
        var record = run.Record;
        try
        {
            var version = await registry.GetVersionAsync(record.VersionId, cancellationToken).ConfigureAwait(false);
            run.Relay.Report("preflight", 0, 0, 0);
            var checks = await preflight.RunAsync(record, version, store: null, run.SaveChecksAsync, cancellationToken).ConfigureAwait(false);
            if (await run.FailOnChecksAsync(checks, "Preflight failed:", "Production was not changed.").ConfigureAwait(false))
            {
                return;
            }

            await run.SucceedAsync(p => p.Progress.Done = p.Progress.Total, $"{version!.Label} is production in the registry (no bucket configured; MODEL_SOURCE=local serves it)").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await run.InterruptedAsync("The server stopped during the promotion; production was not changed. Retry it.").ConfigureAwait(false);
        }
    }

    /// <summary>The objects a version's promotion writes, with the SHA-256 and size the registry recorded at training.</summary>
    public static List<ManifestObject> Objects(string prefix, ModelVersionRecord version)
    {
        ArgumentNullException.ThrowIfNull(version);
        ManifestObject For(string file, string key, string role)
        {
            var entry = version.Artifacts.FirstOrDefault(a => a.Name == file)
                ?? throw new InvalidDataException($"The registry holds no hash of {version.Label}'s {file}.");
            return new ManifestObject(key, role, entry.Sha256, entry.SizeBytes);
        }

        List<ManifestObject> objects =
        [
            For(ModelArtifacts.ModelFile, PromotionLayout.ModelKey(prefix), PromotionManifest.ModelRole),
            For(ModelArtifacts.FeatureConfigFile, PromotionLayout.ConfigKey(prefix), PromotionManifest.ConfigRole),
        ];

        // The documentation pack travels with the model when the version has one (versions trained before it have none).
        if (version.Artifacts.Any(a => a.Name == IModelReports.PdfFile))
        {
            objects.Add(For(IModelReports.PdfFile, PromotionLayout.ReportKey(prefix), PromotionManifest.ReportRole));
        }

        return objects;
    }

    private static async Task UploadAsync(IObjectStore store, List<ManifestObject> objects, string folder, List<string> uploaded, PromotionRun run, CancellationToken cancellationToken)
    {
        var total = objects.Sum(o => o.SizeBytes);
        long before = 0;
        foreach (var item in objects)
        {
            var existing = await store.FindAsync(item.Key, cancellationToken).ConfigureAwait(false);
            if (existing is null || existing.SizeBytes != item.SizeBytes || existing.Sha256 != item.Sha256)
            {
                var offset = before;
                var progress = new CallbackProgress<long>(sent =>
                    run.Relay.Report("uploading", PreflightShare + (UploadShare * (offset + sent) / Math.Max(1, total)), offset + sent, total));
                var file = Path.Combine(folder, PromotionLayout.FileOf(item.Role));
                uploaded.Add(item.Key);
                await store.UploadFileAsync(item.Key, file, item.Sha256, progress, cancellationToken).ConfigureAwait(false);
            }

            before += item.SizeBytes;
            run.Relay.Report("uploading", PreflightShare + (UploadShare * before / Math.Max(1, total)), before, total);
        }
    }

    private static async Task VerifyAsync(IObjectStore store, List<ManifestObject> objects, PromotionRun run, CancellationToken cancellationToken)
    {
        var total = objects.Sum(o => o.SizeBytes);
        long before = 0;
        foreach (var item in objects)
        {
            var offset = before;
            var progress = new CallbackProgress<long>(read =>
                run.Relay.Report("verifying", PreflightShare + UploadShare + (VerifyShare * Math.Min(total, offset + read) / Math.Max(1, total)), Math.Min(total, offset + read), total));
            var digest = await store.DigestAsync(item.Key, progress, cancellationToken).ConfigureAwait(false);
            if (!digest.Matches(item.Sha256, item.SizeBytes))
            {
                throw new ObjectStoreException(ObjectStoreException.ChecksumMismatch,
                    $"s3://{store.Bucket}/{item.Key} read back as {digest.SizeBytes:N0} bytes with SHA-256 {digest.Sha256[..12]}…, but the registry holds {item.SizeBytes:N0} bytes with {item.Sha256[..12]}…: the bytes changed on the way. No manifest was written.");
            }

            before += item.SizeBytes;
        }
    }

    // True when the pointer already names this version's manifest and that manifest lists exactly these objects.
    private static async Task<bool> ServesAlreadyAsync(IObjectStore store, string pointerKey, string manifestKey, List<ManifestObject> objects, CancellationToken cancellationToken)
    {
        var production = await store.ReadProductionAsync(pointerKey, cancellationToken).ConfigureAwait(false);
        return production is { Manifest: { } manifest } && production.ManifestKey == manifestKey
            && manifest.Objects.OrderBy(o => o.Key, StringComparer.Ordinal).SequenceEqual(objects.OrderBy(o => o.Key, StringComparer.Ordinal));
    }

    // The keys the manifest behind the pointer names: what readers load now, which a failed run must never delete.
    private static async Task<IReadOnlySet<string>> LiveKeysAsync(IObjectStore store, string pointerKey, CancellationToken cancellationToken)
    {
        var production = await store.ReadProductionAsync(pointerKey, cancellationToken).ConfigureAwait(false);
        return new HashSet<string>(production.Manifest?.Objects.Select(o => o.Key) ?? [], StringComparer.Ordinal);
    }

    // Best effort: objects this run wrote are unreferenced by the pointer, so removing them loses nothing readers use.
    private static async Task<string> RemoveAsync(IObjectStore store, List<string> uploaded, IReadOnlySet<string> live)
    {
        var keys = uploaded.Where(k => !live.Contains(k)).ToList();
        var left = new List<string>();
        foreach (var key in keys)
        {
            try
            {
                await store.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
            }
            catch (ObjectStoreException)
            {
                left.Add(key);
            }
        }

        return (keys.Count, left.Count) switch
        {
            (0, _) => string.Empty,
            (_, 0) => $" The {keys.Count} object(s) this attempt uploaded were deleted.",
            _ => $" {string.Join(", ", left)} could not be deleted; no manifest names them, so no reader will load them.",
        };
    }

    /// <summary>Points readers at <paramref name="manifestKey"/>. Never cancelled half-way: once asked for, the pointer is what the run reports.</summary>
    internal static Task MovePointerAsync(IObjectStore store, string pointerKey, string manifestKey, int versionNumber, DateTimeOffset at) =>
        store.WriteAsync(pointerKey, Json(new ProductionPointer(manifestKey, versionNumber.ToString(CultureInfo.InvariantCulture), at)), "application/json", CancellationToken.None);

    private static byte[] Json<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, LynqJson.Options);
}

using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Core.Promotion;

/// <summary>
/// Points production back at an earlier version: its manifest and every object it names are read back and
/// checked against the manifest and the registry first, so a rollback never points readers at damaged bytes.
/// </summary>
public sealed class RollbackWorkflow(IModelRegistry registry, IObjectStoreFactory stores, IArtifactStore artifacts, TimeProvider clock)
{
    public const string VersionKept = "Version still in the registry";
    public const string ManifestReadable = "Manifest readable";
    public const string ObjectsIntact = "Objects intact";

    internal async Task RunAsync(PromotionRun run, CancellationToken cancellationToken)
    {
        var record = run.Record;
        if (record.IsRegistryOnly)
        {
            await DesignateAsync(run, cancellationToken).ConfigureAwait(false);
            return;
        }

        var store = stores.Open(record.Bucket);
        var checks = new List<PreflightCheck>();
        async Task<bool> AddAsync(PreflightCheck check)
        {
            checks.Add(check);
            await run.SaveChecksAsync([.. checks]).ConfigureAwait(false);
            return check.Passed;
        }

        try
        {
            run.Relay.Report("checking", 0, 0, 0);
            var version = await registry.GetVersionAsync(record.VersionId, cancellationToken).ConfigureAwait(false);
            var ok = await AddAsync(version is { } v && v.Status.IsUsable()
                ? new(VersionKept, true, $"{v.Label} is {v.Status.ToString().ToLowerInvariant()}.")
                : new(VersionKept, false, $"v{record.VersionNumber} is no longer a usable version in the registry; promote another version instead.")).ConfigureAwait(false);
            ok &= await AddAsync(await PromotionPreflight.CheckReachableAsync(store, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            var manifest = ok ? await ReadManifestAsync(store, record, AddAsync, cancellationToken).ConfigureAwait(false) : null;
            if (manifest is null || !ok || !await AddAsync(await CheckObjectsAsync(store, manifest, version!, run, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false))
            {
                await run.FailOnChecksAsync(checks, "Rollback refused:", "The production pointer was not changed.").ConfigureAwait(false);
                return;
            }

            run.Relay.Report("updating pointer", 0.95, 0, 0);
            await PromotionWorkflow.MovePointerAsync(store, record.PointerKey, record.ManifestKey!, record.VersionNumber, clock.GetUtcNow()).ConfigureAwait(false);
            await run.SucceedAsync(p => p.Objects = [.. manifest.Objects],
                $"s3://{record.Bucket}/{record.PointerKey} → {record.ManifestKey} (from v{record.PreviousVersionNumber}); objects verified").ConfigureAwait(false);
        }
        catch (ObjectStoreException e)
        {
            await run.FailAsync(e.Code, $"{e.Message} The production pointer was not changed.").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await run.InterruptedAsync("The server stopped during the rollback; the pointer was not changed. Retry it.").ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await run.FailAsync("Unexpected", $"{e.Message} The production pointer was not changed.").ConfigureAwait(false);
            throw;
        }
    }

    // No bucket: the version must still be usable with the files it was trained with; then the registry's production transaction.
    private async Task DesignateAsync(PromotionRun run, CancellationToken cancellationToken)
    {
        var record = run.Record;
        var version = await registry.GetVersionAsync(record.VersionId, cancellationToken).ConfigureAwait(false);
        var folder = version is { ArtifactDirectory: not null } && version.Status.IsUsable() ? await artifacts.VersionFolderAsync(version, cancellationToken).ConfigureAwait(false) : null;
        List<PreflightCheck> checks =
        [
            version is { } v && v.Status.IsUsable()
                ? new(VersionKept, true, $"{v.Label} is {v.Status.ToString().ToLowerInvariant()}.")
                : new(VersionKept, false, $"v{record.VersionNumber} is no longer a usable version in the registry; promote another version instead."),
            PromotionPreflight.CheckFiles(version, folder),
        ];
        await run.SaveChecksAsync(checks).ConfigureAwait(false);
        if (await run.FailOnChecksAsync(checks, "Rollback refused:", "Production was not changed.").ConfigureAwait(false))
        {
            return;
        }

        await run.SucceedAsync(_ => { }, $"production is v{record.VersionNumber} again in the registry (from v{record.PreviousVersionNumber}); files verified").ConfigureAwait(false);
    }

    private static async Task<PromotionManifest?> ReadManifestAsync(IObjectStore store, PromotionRecord record, Func<PreflightCheck, Task<bool>> add, CancellationToken cancellationToken)
    {
        var read = await store.ReadManifestAsync(record.ManifestKey!, cancellationToken).ConfigureAwait(false);
        await add(read.Manifest is { } manifest
            ? new(ManifestReadable, true, $"s3://{store.Bucket}/{read.ManifestKey} names {manifest.Objects.Count} objects.")
            : new(ManifestReadable, false, read.Problem!)).ConfigureAwait(false);
        return read.Manifest;
    }

    private static async Task<PreflightCheck> CheckObjectsAsync(IObjectStore store, PromotionManifest manifest, ModelVersionRecord version, PromotionRun run, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var total = manifest.Objects.Sum(o => o.SizeBytes);
        long before = 0;
        foreach (var item in manifest.Objects)
        {
            var registryFile = PromotionLayout.FileOf(item.Role);
            var expected = version.Artifacts.FirstOrDefault(a => a.Name == registryFile);

            // The report is rewritten after each governance event, so only its own manifest digest is checked below.
            if (item.Role != PromotionManifest.ReportRole && (expected is null || expected.Sha256 != item.Sha256))
            {
                problems.Add($"{item.Key} in the manifest is not the {registryFile} the registry holds for {version.Label}");
                continue;
            }

            ObjectDigest digest;
            try
            {
                var offset = before;
                digest = await store.DigestAsync(item.Key, new Runs.CallbackProgress<long>(read =>
                    run.Relay.Report("verifying", 0.2 + (0.7 * Math.Min(total, offset + read) / Math.Max(1, total)), Math.Min(total, offset + read), total)), cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectStoreException e) when (e.Code is "NoSuchKey" or "NotFound")
            {
                problems.Add($"{item.Key} is gone");
                continue;
            }

            if (!digest.Matches(item.Sha256, item.SizeBytes))
            {
                problems.Add($"{item.Key} changed since it was promoted (SHA-256 {digest.Sha256[..12]}…, manifest {item.Sha256[..12]}…)");
            }

            before += item.SizeBytes;
        }

        return problems.Count == 0
            ? new(ObjectsIntact, true, $"Every object has the SHA-256 and size its manifest and the registry name ({total:N0} bytes read back).")
            : new(ObjectsIntact, false, string.Join("; ", problems) + ".", ObjectStoreException.ChecksumMismatch);
    }
}

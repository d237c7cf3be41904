using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Registry;

namespace LynqDashboard.Core.Monitoring;

/// <summary>
/// A version's frozen bins: stored when its training finishes, or computed once from its folder the first time a snapshot
/// needs them (versions trained before monitoring existed), then kept. Bins are never recomputed for a version that has them.
/// </summary>
public sealed class VersionBaselines(IMonitoringStore store, IArtifactStore artifacts, TimeProvider clock)
{
    /// <summary>The stored bins, or bins cut now from the version's test rows and saved; null when it has no stored test rows.</summary>
    public async Task<MonitoringBaseline?> GetOrComputeAsync(ModelVersionRecord version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (await store.GetBaselineAsync(version.Number, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return stored;
        }

        if (version.ArtifactDirectory is null)
        {
            return null;
        }

        var folder = await artifacts.VersionFolderAsync(version, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(Path.Combine(folder, ModelArtifacts.TestPredictionsFile)))
        {
            return null;
        }

        var baseline = BaselineBins.From(version.Number, ModelArtifacts.ReadTestPredictions(folder), clock.GetUtcNow());
        await store.SaveBaselineAsync(baseline, cancellationToken).ConfigureAwait(false);

        // Another process may have saved first; the store keeps the first, and every snapshot must use the same bins.
        return await store.GetBaselineAsync(version.Number, cancellationToken).ConfigureAwait(false) ?? baseline;
    }
}

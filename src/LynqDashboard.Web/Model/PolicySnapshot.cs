using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Web.Model;

/// <summary>What the Policy page shows: the stored versions and the serving model version's test rows to replay them on.</summary>
/// <param name="Active">The active policy's record; null when the registry holds none yet (then the scoring policy is the configured one).</param>
/// <param name="History">Every stored version, newest first.</param>
/// <param name="Version">The model version whose test rows are replayed; null when none is serving or Ready.</param>
/// <param name="TradeOff">The replay over its test rows; null when there are none to read.</param>
/// <param name="Problem">Why there is no trade-off, in words; null when there is one.</param>
public sealed record PolicySnapshot(PolicyRecord? Active, IReadOnlyList<PolicyRecord> History, ModelVersionRecord? Version, PolicyTradeOff? TradeOff, string? Problem);

/// <summary>
/// Reads the policy versions and the serving model version's stored test predictions: the version the scoring API
/// serves when it came from the registry, else the production version, else the newest Ready one.
/// </summary>
public sealed class PolicySnapshotLoader(IPolicyRegistry policies, IModelRegistry registry, IArtifactStore artifacts, ActiveModel active)
{
    public async Task<PolicySnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var history = await policies.ListAsync(cancellationToken);
        var stored = history.Count > 0 ? history[0] : null;
        var version = await ServingVersionAsync(cancellationToken);
        if (version is null)
        {
            return new PolicySnapshot(stored, history, null, null,
                "No model version is in production or Ready yet, so there are no test rows to replay a policy on. Train a model first; the bands can still be read here.");
        }

        if (!version.Status.IsUsable() || version.ArtifactDirectory is null)
        {
            return new PolicySnapshot(stored, history, version, null, $"{version.Label} has no stored files to replay a policy on.");
        }

        try
        {
            var folder = await artifacts.VersionFolderAsync(version, cancellationToken);
            var predictions = ModelArtifacts.ReadTestPredictions(folder);
            return predictions.Count == 0
                ? new PolicySnapshot(stored, history, version, null, $"{version.Label} stored no test predictions, so its trade-off cannot be shown.")
                : new PolicySnapshot(stored, history, version, new PolicyTradeOff(predictions), null);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or FormatException or Core.Storage.ObjectStoreException)
        {
            return new PolicySnapshot(stored, history, version, null, $"The test predictions of {version.Label} could not be read: {e.Message}");
        }
    }

    private async Task<ModelVersionRecord?> ServingVersionAsync(CancellationToken cancellationToken)
    {
        if (active.Current.Number is { } serving && await registry.GetVersionByNumberAsync(serving, cancellationToken) is { } loaded)
        {
            return loaded;
        }

        foreach (var status in new[] { VersionStatus.Production, VersionStatus.Ready })
        {
            if ((await registry.QueryVersionsAsync(new VersionQuery(Status: status, Take: 1), cancellationToken)).Items is [var newest, ..])
            {
                return newest;
            }
        }

        return null;
    }
}

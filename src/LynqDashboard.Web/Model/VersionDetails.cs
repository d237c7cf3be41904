using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Web.Model;

/// <summary>
/// Everything a version page shows: the record, its dataset and, once Ready, its validation pack, log and its test rows
/// under the risk policy that was active when it was read (<see cref="Policy"/>).
/// </summary>
public sealed record VersionDetails(
    ModelVersionRecord Version,
    DatasetRecord? Dataset,
    ValidationPack? Metrics,
    ThresholdExplorer? Threshold,
    IReadOnlyList<string> Log,
    string? ArtifactProblem,
    IReadOnlyList<PromotionRecord> Promotions,
    PolicyHeadline? Policy = null,
    MonotonicityView? Monotonicity = null);

/// <summary>The version's monotonicity result as measured at training, against the review gate's limit.</summary>
/// <param name="Features">Per directed feature; null for versions trained before monotonicity.json was written.</param>
/// <param name="Limit">GovernanceGates.MaxShareAgainstDirection: a feature above it is flagged.</param>
public sealed record MonotonicityView(IReadOnlyList<FeatureMonotonicity>? Features, double Limit)
{
    public bool IsOver(FeatureMonotonicity feature) => feature.ShareAgainst > Limit;
}

/// <summary>Reads a version's files once per page visit, and replays the active policy on its test rows each time.</summary>
public sealed class VersionDetailsLoader(IModelRegistry registry, IPromotionRegistry promotions, IArtifactStore artifacts, ActivePolicy policy, GovernanceGates gates)
{
    public async Task<VersionDetails?> LoadAsync(int number, CancellationToken cancellationToken)
    {
        var version = await registry.GetVersionByNumberAsync(number, cancellationToken);
        if (version is null)
        {
            return null;
        }

        var dataset = await registry.GetDatasetAsync(version.DatasetId, cancellationToken);
        var deployments = await promotions.ListPromotionsAsync(versionId: version.Id, take: 50, cancellationToken: cancellationToken);
        if (!version.Status.IsUsable() || version.ArtifactDirectory is null)
        {
            return new VersionDetails(version, dataset, null, null, [], null, deployments);
        }

        try
        {
            var folder = await artifacts.VersionFolderAsync(version, cancellationToken);
            var metrics = ValidationPack.Load(Path.Combine(folder, ModelArtifacts.MetricsFile));
            var explorer = new ThresholdExplorer(ModelArtifacts.ReadTestPredictions(folder));
            var logPath = Path.Combine(folder, ModelArtifacts.TrainingLogFile);
            var log = File.Exists(logPath) ? await File.ReadAllLinesAsync(logPath, cancellationToken) : [];
            var monotonicity = new MonotonicityView(VersionMonotonicity.Read(folder), gates.MaxShareAgainstDirection);
            return new VersionDetails(version, dataset, metrics, explorer, log, null, deployments, explorer.Under(policy.Current), monotonicity);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or FormatException or Core.Storage.ObjectStoreException)
        {
            return new VersionDetails(version, dataset, null, null, [], $"The files of {version.Label} could not be read: {e.Message}", deployments);
        }
    }
}

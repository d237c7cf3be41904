using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Evaluation;
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
    PolicyHeadline? Policy = null);

/// <summary>Reads a version's files once per page visit, and replays the active policy on its test rows each time.</summary>
public sealed class VersionDetailsLoader(IModelRegistry registry, IPromotionRegistry promotions, IArtifactStore artifacts, ActivePolicy policy)
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
            return new VersionDetails(version, dataset, metrics, explorer, log, null, deployments, explorer.Under(policy.Current));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or FormatException or Core.Storage.ObjectStoreException)
        {
            return new VersionDetails(version, dataset, null, null, [], $"The files of {version.Label} could not be read: {e.Message}", deployments);
        }
    }
}

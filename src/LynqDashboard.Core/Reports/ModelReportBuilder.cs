using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Serialization;

namespace LynqDashboard.Core.Reports;

/// <summary>Gathers a version's documentation pack from the registry, its folder, its promotion requests and the audit log.</summary>
/// <param name="registry">The version and dataset records.</param>
/// <param name="artifacts">Where the version folder lives (fetched first from a bucket when this process has no copy).</param>
/// <param name="audit">The audit log; events whose subject is "v{n}" become the audit trail.</param>
/// <param name="clock">Stamps the report.</param>
/// <param name="requests">The promotion requests; null in a host without the governance store (the report then says none were made).</param>
public sealed class ModelReportBuilder(IModelRegistry registry, IArtifactStore artifacts, IAuditLog audit, TimeProvider clock, IPromotionRequestRegistry? requests = null)
{
    // The audit log is read newest first in pages of this size until it ends.
    private const int AuditPage = 500;

    /// <summary>The content of <paramref name="versionId"/>'s report, and the local folder its files are in.</summary>
    public async Task<(ModelReportContent Content, string Folder)> BuildAsync(Guid versionId, CancellationToken cancellationToken = default)
    {
        var version = await registry.GetVersionAsync(versionId, cancellationToken).ConfigureAwait(false)
            ?? throw LynqException.NotFound($"There is no model version {versionId}.");
        if (!version.Status.IsUsable() || version.ArtifactDirectory is null)
        {
            throw LynqException.Conflict($"{version.Label} is {version.Status}: a documentation pack is written once it is Ready.");
        }

        var folder = await artifacts.VersionFolderAsync(version, cancellationToken).ConfigureAwait(false);
        var config = FeatureConfig.Load(Path.Combine(folder, ModelArtifacts.FeatureConfigFile));
        var metrics = ValidationPack.Load(Path.Combine(folder, ModelArtifacts.MetricsFile));
        var monotonicityPath = Path.Combine(folder, ModelArtifacts.MonotonicityFile);
        var monotonicity = File.Exists(monotonicityPath)
            ? LynqJson.ReadFile<List<FeatureMonotonicity>>(monotonicityPath, "monotonicity result")
            : null;
        var dataset = await registry.GetDatasetAsync(version.DatasetId, cancellationToken).ConfigureAwait(false);
        var asked = requests is null
            ? []
            : await requests.ListRequestsAsync(version.Id, take: 1_000, cancellationToken: cancellationToken).ConfigureAwait(false);
        var trail = await AuditTrailAsync(version.Label, cancellationToken).ConfigureAwait(false);
        var content = new ModelReportContent(version, dataset, config, metrics, monotonicity, [.. asked.OrderByDescending(r => r.RequestedAt)], trail, clock.GetUtcNow());
        return (content, folder);
    }

    private async Task<IReadOnlyList<AuditEvent>> AuditTrailAsync(string subject, CancellationToken cancellationToken)
    {
        var found = new List<AuditEvent>();
        for (var skip = 0; ; skip += AuditPage)
        {
            var page = await audit.ListAsync(skip, AuditPage, cancellationToken).ConfigureAwait(false);
            found.AddRange(page.Where(e => e.Subject == subject));
            if (page.Count < AuditPage)
            {
                break;
            }
        }

        return [.. found.OrderBy(e => e.At).ThenBy(e => e.Id)];
    }
}

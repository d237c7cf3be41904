namespace LynqDashboard.Core.Artifacts;

/// <summary>The documentation pack kept with each version: model_report.pdf and the same content as model_report.html.</summary>
public interface IModelReports
{
    public const string PdfFile = "model_report.pdf";
    public const string HtmlFile = "model_report.html";

    /// <summary>
    /// (Re)writes both files into the version's folder from what the registry holds now (metrics, lineage,
    /// monotonicity, the latest promotion request's comparison, approvals and the audit trail). Called when the
    /// version becomes Ready and again after each governance event.
    /// </summary>
    Task WriteAsync(Guid versionId, CancellationToken cancellationToken = default);
}

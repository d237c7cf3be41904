using System.Security.Cryptography;
using System.Text;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Reports;

namespace LynqDashboard.Infrastructure.Reports;

/// <summary>
/// Writes a version's documentation pack (model_report.pdf and model_report.html) into its folder and makes both part
/// of the version: uploaded where its other files live (a bucket in a scale-out) and listed in the registry with their
/// SHA-256, so downloads and promotions treat them like any other artifact. A rewrite replaces the previous pair.
/// </summary>
public sealed class ModelReports(ModelReportBuilder builder, IModelRegistry registry, IArtifactStore artifacts) : IModelReports
{
    public async Task WriteAsync(Guid versionId, CancellationToken cancellationToken = default)
    {
        var (content, folder) = await builder.BuildAsync(versionId, cancellationToken).ConfigureAwait(false);
        var document = ReportOutline.Compose(content);
        var files = new List<ArtifactEntry>
        {
            await WriteAtomicallyAsync(folder, IModelReports.PdfFile, PdfModelReport.Render(document), cancellationToken).ConfigureAwait(false),
            await WriteAtomicallyAsync(folder, IModelReports.HtmlFile, Encoding.UTF8.GetBytes(HtmlModelReport.Render(document)), cancellationToken).ConfigureAwait(false),
        };

        // Uploaded before the registry names the new digests, so a process that reads the registry can always fetch them.
        await artifacts.SaveVersionAsync(content.Version.Number, files, folder, cancellationToken).ConfigureAwait(false);
        await registry.UpdateVersionAsync(versionId, v => v.Artifacts =
        [
            .. v.Artifacts.Where(a => a.Name is not (IModelReports.PdfFile or IModelReports.HtmlFile)),
            .. files,
        ], cancellationToken).ConfigureAwait(false);
    }

    // A reader (a download in progress) sees the old file or the new one, never half of one.
    private static async Task<ArtifactEntry> WriteAtomicallyAsync(string folder, string name, byte[] bytes, CancellationToken cancellationToken)
    {
        var target = Path.Combine(folder, name);
        var temporary = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllBytesAsync(temporary, bytes, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return new ArtifactEntry(name, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
    }
}

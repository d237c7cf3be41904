using LynqDashboard.Core.Reports;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace LynqDashboard.Infrastructure.Reports;

/// <summary>
/// model_report.pdf: the report's blocks laid out on A4 pages with PDFsharp, text selectable, charts as vectors. Tables
/// break between rows and repeat their header; charts go two to a row.
/// </summary>
public static class PdfModelReport
{
    public static byte[] Render(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        EmbeddedFontResolver.EnsureInstalled();
        using var pdf = new PdfDocument();
        pdf.Info.Title = document.Title;
        pdf.Info.Subject = document.Subtitle;
        pdf.Info.Creator = "LynqDashboard";
        using (var pages = new PdfPageWriter(pdf, document.Title))
        {
            pages.Title(document.Title, document.Subtitle);
            foreach (var block in document.Blocks)
            {
                pages.Write(block);
            }
        }

        using var stream = new MemoryStream();
        pdf.Save(stream, closeStream: false);
        return stream.ToArray();
    }
}

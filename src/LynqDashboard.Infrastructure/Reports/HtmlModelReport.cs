using System.Globalization;
using System.Net;
using System.Text;
using LynqDashboard.Core.Reports;

namespace LynqDashboard.Infrastructure.Reports;

/// <summary>
/// model_report.html: the same blocks as the PDF in one self-contained file (inline CSS, inline SVG charts, no script,
/// nothing fetched), so it opens from a mail attachment or an archive years later exactly as written.
/// </summary>
public static class HtmlModelReport
{
    private const string Style = """
        body { font-family: "DejaVu Sans", Arial, sans-serif; color: #212121; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
        h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #bdbdbd; }
        h3 { font-size: 1.05rem; margin-top: 1.2rem; } .subtitle { color: #616161; font-size: 0.9rem; }
        table { border-collapse: collapse; width: 100%; margin: 0.6rem 0; font-size: 0.85rem; }
        th, td { border: 1px solid #e0e0e0; padding: 0.25rem 0.45rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
        th { background: #f5f5f5; } .warning { background: #ffebee; color: #b71c1c; border-left: 4px solid #b71c1c; padding: 0.5rem 0.8rem; }
        .charts { display: flex; flex-wrap: wrap; gap: 1rem; } figure { margin: 0; width: 28rem; max-width: 100%; }
        figcaption { font-weight: bold; font-size: 0.9rem; } figure p { font-size: 0.8rem; color: #616161; margin: 0.2rem 0; }
        svg text { font-family: inherit; }
        """;

    public static string Render(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(E(document.Title)).Append("</title>\n<style>\n")
            .Append(Style).Append("</style>\n</head>\n<body>\n<h1>").Append(E(document.Title)).Append("</h1>\n<p class=\"subtitle\">").Append(E(document.Subtitle)).Append("</p>\n");
        var inCharts = false;
        foreach (var block in document.Blocks)
        {
            var isChart = block is XyChart or BarChart;
            if (isChart != inCharts)
            {
                html.Append(isChart ? "<div class=\"charts\">\n" : "</div>\n");
                inCharts = isChart;
            }

            Append(html, block);
        }

        html.Append(inCharts ? "</div>\n" : string.Empty).Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Append(StringBuilder html, ReportBlock block)
    {
        switch (block)
        {
            case ReportHeading h:
                html.Append(h.Level <= 1 ? "<h2>" : "<h3>").Append(E(h.Text)).Append(h.Level <= 1 ? "</h2>\n" : "</h3>\n");
                break;
            case ReportParagraph p:
                html.Append(p.Warning ? "<p class=\"warning\">" : "<p>").Append(E(p.Text)).Append("</p>\n");
                break;
            case ReportList list:
                html.Append("<ul>\n");
                foreach (var item in list.Items)
                {
                    html.Append("<li>").Append(E(item)).Append("</li>\n");
                }

                html.Append("</ul>\n");
                break;
            case ReportTable table:
                Table(html, table);
                break;
            case XyChart chart:
                html.Append("<figure><figcaption>").Append(E(chart.Title)).Append("</figcaption>\n").Append(SvgChart.Xy(chart)).Append("</figure>\n");
                break;
            case BarChart bars:
                html.Append("<figure><figcaption>").Append(E(bars.Title)).Append("</figcaption>\n<p>").Append(E(bars.Caption)).Append("</p>\n").Append(SvgChart.Bars(bars)).Append("</figure>\n");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(block), block.GetType().Name, "The HTML report cannot draw this block.");
        }
    }

    private static void Table(StringBuilder html, ReportTable table)
    {
        html.Append("<table>\n");
        if (table.Widths is { } widths)
        {
            var total = widths.Sum();
            html.Append("<colgroup>");
            foreach (var w in widths)
            {
                html.Append("<col style=\"width:").Append((100 * w / total).ToString("0.#", CultureInfo.InvariantCulture)).Append("%\">");
            }

            html.Append("</colgroup>\n");
        }

        html.Append("<thead><tr>");
        foreach (var column in table.Columns)
        {
            html.Append("<th>").Append(E(column)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append("<td>").Append(E(cell)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    internal static string E(string text) => WebUtility.HtmlEncode(text);
}

using System.Globalization;
using System.Text;
using LynqDashboard.Core.Reports;

namespace LynqDashboard.Infrastructure.Reports;

/// <summary>The report's charts as inline SVG: axes, ticks, grid, series and a legend, sized by a viewBox so they scale with the page.</summary>
internal static class SvgChart
{
    private const double Width = 360, Height = 270, Left = 52, Right = 12, Top = 12, Bottom = 58;
    private const string ModelColor = "#1565c0", ReferenceColor = "#757575", GridColor = "#e0e0e0";

    public static string Xy(XyChart chart)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{HtmlModelReport.E(chart.Title)}\">\n");
        var (plotW, plotH) = (Width - Left - Right, Height - Top - Bottom);
        double X(double x) => Left + (plotW * Math.Clamp(x / chart.XMax, 0, 1));
        double Y(double y) => Top + plotH - (plotH * Math.Clamp(y / chart.YMax, 0, 1));
        foreach (var (value, text) in ChartAxis.Ticks(chart.XMax, chart.Ticks, chart.Percent))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(value):0.##}\" y1=\"{Top}\" x2=\"{X(value):0.##}\" y2=\"{Top + plotH}\" stroke=\"{GridColor}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{X(value):0.##}\" y=\"{Top + plotH + 13}\" font-size=\"9\" text-anchor=\"middle\">{text}</text>\n");
        }

        foreach (var (value, text) in ChartAxis.Ticks(chart.YMax, chart.Ticks, chart.Percent))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Y(value):0.##}\" x2=\"{Left + plotW}\" y2=\"{Y(value):0.##}\" stroke=\"{GridColor}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{Y(value) + 3:0.##}\" font-size=\"9\" text-anchor=\"end\">{text}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#9e9e9e\"/>\n")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (plotW / 2)}\" y=\"{Top + plotH + 28}\" font-size=\"10\" text-anchor=\"middle\">{HtmlModelReport.E(chart.XTitle)}</text>\n")
            .Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(12 {Top + (plotH / 2)}) rotate(-90)\" font-size=\"10\" text-anchor=\"middle\">{HtmlModelReport.E(chart.YTitle)}</text>\n");
        foreach (var series in chart.Series)
        {
            var color = series.Ink == ChartInk.Model ? ModelColor : ReferenceColor;
            if (series.Markers)
            {
                foreach (var (x, y) in series.Points)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(x):0.##}\" cy=\"{Y(y):0.##}\" r=\"3.5\" fill=\"{color}\"/>");
                }

                svg.Append('\n');
            }
            else
            {
                var points = string.Join(' ', series.Points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.X):0.##},{Y(p.Y):0.##}")));
                var dash = series.Ink == ChartInk.Reference ? " stroke-dasharray=\"5 4\"" : string.Empty;
                svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{(series.Ink == ChartInk.Model ? 2 : 1.2)}\"{dash}/>\n");
            }
        }

        var legendX = Left;
        foreach (var series in chart.Series)
        {
            var color = series.Ink == ChartInk.Model ? ModelColor : ReferenceColor;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{legendX}\" y=\"{Height - 14}\" width=\"10\" height=\"6\" fill=\"{color}\"/><text x=\"{legendX + 14}\" y=\"{Height - 8}\" font-size=\"9\">{HtmlModelReport.E(series.Name)}</text>\n");
            legendX += 24 + (series.Name.Length * 5.2);
        }

        return svg.Append("</svg>\n").ToString();
    }

    public static string Bars(BarChart chart)
    {
        const double row = 20, labelWidth = 150, valueWidth = 48;
        var height = Math.Max(1, chart.Bars.Count) * row + 8;
        var max = chart.Bars.Count == 0 ? 1 : Math.Max(1e-12, chart.Bars.Max(b => Math.Abs(b.Value)));
        var barSpace = Width - labelWidth - valueWidth;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"{HtmlModelReport.E(chart.Title)}\">\n");
        for (var i = 0; i < chart.Bars.Count; i++)
        {
            var bar = chart.Bars[i];
            var y = 4 + (i * row);
            var length = barSpace * Math.Max(0, bar.Value) / max;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth - 6}\" y=\"{y + 13}\" font-size=\"9\" text-anchor=\"end\">{HtmlModelReport.E(bar.Label)}</text>")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y + 3}\" width=\"{length:0.##}\" height=\"{row - 6}\" fill=\"{ModelColor}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + length + 4:0.##}\" y=\"{y + 13}\" font-size=\"9\">{HtmlModelReport.E(bar.ValueText)}</text>\n");
        }

        return svg.Append("</svg>\n").ToString();
    }
}

using LynqDashboard.Core.Reports;
using PdfSharp.Drawing;

namespace LynqDashboard.Infrastructure.Reports;

/// <summary>The report's charts drawn as vectors on a PDF page: the same axes, ticks, series and legend as the SVG.</summary>
internal static class PdfChart
{
    private static readonly XColor ModelColor = XColor.FromArgb(0x15, 0x65, 0xc0);
    private static readonly XColor ReferenceColor = XColor.FromArgb(0x75, 0x75, 0x75);
    private static readonly XColor GridColor = XColor.FromArgb(0xe0, 0xe0, 0xe0);

    public static void Xy(XGraphics gfx, XyChart chart, XRect box, PdfFonts fonts)
    {
        gfx.DrawString(chart.Title, fonts.Strong, XBrushes.Black, new XPoint(box.Left, box.Top), XStringFormats.TopLeft);
        var plot = new XRect(box.Left + 40, box.Top + 18, box.Width - 48, box.Height - 18 - 44);
        double X(double x) => plot.Left + (plot.Width * Math.Clamp(x / chart.XMax, 0, 1));
        double Y(double y) => plot.Bottom - (plot.Height * Math.Clamp(y / chart.YMax, 0, 1));
        var grid = new XPen(GridColor, 0.5);
        foreach (var (value, text) in ChartAxis.Ticks(chart.XMax, chart.Ticks, chart.Percent))
        {
            gfx.DrawLine(grid, X(value), plot.Top, X(value), plot.Bottom);
            gfx.DrawString(text, fonts.Tiny, XBrushes.Black, new XPoint(X(value), plot.Bottom + 3), XStringFormats.TopCenter);
        }

        foreach (var (value, text) in ChartAxis.Ticks(chart.YMax, chart.Ticks, chart.Percent))
        {
            gfx.DrawLine(grid, plot.Left, Y(value), plot.Right, Y(value));
            gfx.DrawString(text, fonts.Tiny, XBrushes.Black, new XPoint(plot.Left - 3, Y(value)), XStringFormats.CenterRight);
        }

        gfx.DrawRectangle(new XPen(XColors.Gray, 0.6), plot);
        gfx.DrawString(chart.XTitle, fonts.Small, XBrushes.Black, new XPoint(plot.Center.X, plot.Bottom + 14), XStringFormats.TopCenter);
        var state = gfx.Save();
        var yTitleAt = new XPoint(box.Left + 6, plot.Center.Y);
        gfx.RotateAtTransform(-90, yTitleAt);
        gfx.DrawString(chart.YTitle, fonts.Small, XBrushes.Black, yTitleAt, XStringFormats.Center);
        gfx.Restore(state);

        foreach (var series in chart.Series)
        {
            var color = series.Ink == ChartInk.Model ? ModelColor : ReferenceColor;
            if (series.Markers)
            {
                var brush = new XSolidBrush(color);
                foreach (var (x, y) in series.Points)
                {
                    gfx.DrawEllipse(brush, X(x) - 2.5, Y(y) - 2.5, 5, 5);
                }
            }
            else if (series.Points.Count >= 2)
            {
                var pen = new XPen(color, series.Ink == ChartInk.Model ? 1.4 : 0.8) { DashStyle = series.Ink == ChartInk.Reference ? XDashStyle.Dash : XDashStyle.Solid };
                gfx.DrawLines(pen, [.. series.Points.Select(p => new XPoint(X(p.X), Y(p.Y)))]);
            }
        }

        var legendX = plot.Left;
        foreach (var series in chart.Series)
        {
            gfx.DrawRectangle(new XSolidBrush(series.Ink == ChartInk.Model ? ModelColor : ReferenceColor), legendX, box.Bottom - 8, 8, 5);
            gfx.DrawString(series.Name, fonts.Tiny, XBrushes.Black, new XPoint(legendX + 11, box.Bottom - 5.5), XStringFormats.CenterLeft);
            legendX += 20 + gfx.MeasureString(series.Name, fonts.Tiny).Width;
        }
    }

    public static void Bars(XGraphics gfx, BarChart chart, XRect box, PdfFonts fonts)
    {
        gfx.DrawString(chart.Title, fonts.Strong, XBrushes.Black, new XPoint(box.Left, box.Top), XStringFormats.TopLeft);
        gfx.DrawString(chart.Caption, fonts.Tiny, XBrushes.DimGray, new XPoint(box.Left, box.Top + 13), XStringFormats.TopLeft);
        const double labelWidth = 110, valueWidth = 34;
        var top = box.Top + 28;
        var row = Math.Min(14, (box.Bottom - top) / Math.Max(1, chart.Bars.Count));
        var max = chart.Bars.Count == 0 ? 1 : Math.Max(1e-12, chart.Bars.Max(b => Math.Abs(b.Value)));
        var space = box.Width - labelWidth - valueWidth;
        var brush = new XSolidBrush(ModelColor);
        for (var i = 0; i < chart.Bars.Count; i++)
        {
            var bar = chart.Bars[i];
            var y = top + (i * row);
            var length = space * Math.Max(0, bar.Value) / max;
            gfx.DrawString(bar.Label, fonts.Tiny, XBrushes.Black, new XPoint(box.Left + labelWidth - 4, y + (row / 2)), XStringFormats.CenterRight);
            gfx.DrawRectangle(brush, box.Left + labelWidth, y + 2, Math.Max(0.01, length), row - 4);
            gfx.DrawString(bar.ValueText, fonts.Tiny, XBrushes.Black, new XPoint(box.Left + labelWidth + length + 3, y + (row / 2)), XStringFormats.CenterLeft);
        }
    }
}

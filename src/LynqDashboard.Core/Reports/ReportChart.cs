namespace LynqDashboard.Core.Reports;

/// <summary>How a chart series is drawn; each renderer picks its own colours for these.</summary>
public enum ChartInk
{
    /// <summary>The model's result: a solid line or filled markers.</summary>
    Model,

    /// <summary>A reference (chance, perfect calibration): a dashed, muted line.</summary>
    Reference,
}

/// <summary>One series of an x/y chart, in the chart's units.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="Points">The data, x ascending for lines.</param>
/// <param name="Ink">Result or reference.</param>
/// <param name="Markers">True draws a marker per point and no line (calibration deciles).</param>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points, ChartInk Ink = ChartInk.Model, bool Markers = false);

/// <summary>
/// An x/y chart with both axes from 0: enough for the SVG of the HTML report and the vector drawing of the PDF to show
/// the same picture without a browser.
/// </summary>
/// <param name="Title">Above the chart, e.g. "ROC curve (AUC 0.8123)".</param>
/// <param name="XTitle">Under the x axis.</param>
/// <param name="YTitle">Beside the y axis.</param>
/// <param name="XMax">Right end of the x axis.</param>
/// <param name="YMax">Top of the y axis.</param>
/// <param name="Ticks">Tick steps per axis (the axis is divided into this many parts).</param>
/// <param name="Series">Drawn in order, later on top.</param>
/// <param name="Percent">True writes tick labels as percentages.</param>
public sealed record XyChart(string Title, string XTitle, string YTitle, double XMax, double YMax, int Ticks, IReadOnlyList<ChartSeries> Series, bool Percent = false) : ReportBlock;

/// <summary>One bar of a horizontal bar chart.</summary>
/// <param name="Label">What a person reads.</param>
/// <param name="Value">Bar length; a negative value (shuffling helped) draws no bar, only its text.</param>
/// <param name="ValueText">The value as written beside the bar.</param>
public sealed record ChartBar(string Label, double Value, string ValueText);

/// <summary>A horizontal bar chart (permutation importance).</summary>
/// <param name="Title">Above the chart.</param>
/// <param name="Caption">Under the title: what the bars measure.</param>
/// <param name="Bars">Top to bottom.</param>
public sealed record BarChart(string Title, string Caption, IReadOnlyList<ChartBar> Bars) : ReportBlock;

/// <summary>Where an <see cref="XyChart"/>'s ticks fall and what they say; both renderers draw the same.</summary>
public static class ChartAxis
{
    /// <summary>The ticks of an axis from 0 to <paramref name="max"/> in <paramref name="steps"/> steps, with their labels.</summary>
    public static IReadOnlyList<(double Value, string Text)> Ticks(double max, int steps, bool percent)
    {
        var step = max / Math.Max(1, steps);
        var decimals = 0;
        for (var scaled = percent ? step * 100 : step; decimals < 4 && Math.Abs(scaled - Math.Round(scaled)) > 1e-6; scaled *= 10)
        {
            decimals++;
        }

        return [.. Enumerable.Range(0, steps + 1).Select(i =>
        {
            var value = Math.Round(i * step, 10);
            return (value, percent ? ReportFormat.Percent(value, decimals) : value.ToString("0." + new string('0', Math.Max(1, decimals)), System.Globalization.CultureInfo.InvariantCulture));
        })];
    }
}

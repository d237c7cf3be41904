namespace LynqDashboard.Web.Model;

/// <summary>How an <see cref="XySeries"/> is drawn.</summary>
public enum XyStyle
{
    /// <summary>A connected line (a curve).</summary>
    Line,

    /// <summary>A dashed line: a reference (chance, perfect calibration), not a result.</summary>
    Reference,

    /// <summary>Markers only, one per point (calibration deciles).</summary>
    Points,
}

/// <summary>One series of a numeric x/y chart.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="Points">Data in the chart's units (for rates: fractions, 0–1).</param>
/// <param name="Color">A CSS colour, e.g. a MudBlazor palette variable.</param>
/// <param name="Style">Line, reference line or markers.</param>
/// <param name="PointTitles">For markers: the tooltip of each point, same order as <paramref name="Points"/>.</param>
public sealed record XySeries(string Name, IReadOnlyList<(double X, double Y)> Points, string Color, XyStyle Style = XyStyle.Line, IReadOnlyList<string>? PointTitles = null);

/// <summary>One bar of a horizontal bar list.</summary>
/// <param name="Label">What a person reads, e.g. "Collateral ratio".</param>
/// <param name="Value">The length of the bar, signed.</param>
/// <param name="ValueText">The value as written beside the bar.</param>
/// <param name="Color">A CSS colour.</param>
/// <param name="Detail">A second, smaller line under the label (the applicant's value), or null.</param>
public sealed record BarItem(string Label, double Value, string ValueText, string Color, string? Detail = null);

/// <summary>Colours the charts share, as CSS values that follow the light and dark theme.</summary>
public static class ChartColors
{
    public const string Model = "var(--mud-palette-primary)";
    public const string Other = "var(--mud-palette-warning)";
    public const string Reference = "var(--mud-palette-text-secondary)";
    public const string RaisesRisk = "var(--mud-palette-error)";
    public const string LowersRisk = "var(--mud-palette-success)";
}

/// <summary>An axis from 0 to a round maximum with round steps: 0.38 becomes 0 to 0.4 in steps of 0.1.</summary>
public sealed record AxisScale(double Max, double Step)
{
    /// <summary>The axis for data up to <paramref name="dataMax"/>, with about <paramref name="ticks"/> steps.</summary>
    public static AxisScale Fit(double dataMax, int ticks = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ticks, 1);
        if (!(dataMax > 0) || double.IsInfinity(dataMax))
        {
            return new AxisScale(1, 1.0 / ticks);
        }

        var rough = dataMax / ticks;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= rough * (1 - 1e-9));
        var max = Math.Ceiling((dataMax / step) - 1e-9) * step;
        return new AxisScale(max, step);
    }

    /// <summary>Decimals a tick needs when written as a percentage: 0 for steps of 10 %, 1 for 2.5 %.</summary>
    public int PercentDecimals
    {
        get
        {
            var decimals = 0;
            for (var points = Step * 100; decimals < 4 && Math.Abs(points - Math.Round(points)) > 1e-6; points *= 10)
            {
                decimals++;
            }

            return decimals;
        }
    }

    /// <summary>The tick values, 0 to <see cref="Max"/> inclusive.</summary>
    public IReadOnlyList<double> Ticks()
    {
        var count = (int)Math.Round(Max / Step);
        return [.. Enumerable.Range(0, count + 1).Select(i => Math.Round(i * Step, 10))];
    }
}

using System.Globalization;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Web.Model;

/// <summary>
/// How the dashboard writes numbers for people, in one place: every rate as "8.1 %" (invariant digits, a space before
/// the sign, whatever the server's culture), counts and amounts with thousands separators.
/// </summary>
public static class DisplayFormat
{
    /// <summary>A fraction (0.081) as a percentage ("8.1 %").</summary>
    /// <param name="fraction">The rate as a fraction, 1 = 100 %.</param>
    /// <param name="decimals">Decimals after the point (default 1).</param>
    /// <param name="trimZeros">True drops trailing zeros ("50 %" rather than "50.0 %"), for values that move (progress).</param>
    public static string Percent(double fraction, int decimals = 1, bool trimZeros = false)
    {
        var digits = trimZeros ? new string('#', decimals) : new string('0', decimals);
        var format = decimals > 0 ? $"0.{digits}" : "0";
        return (fraction * 100).ToString(format, CultureInfo.InvariantCulture) + " %";
    }

    /// <summary>A whole count with thousands separators ("50,000").</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A difference of two rates in percentage points, signed ("+1.25 pp", "−0.40 pp").</summary>
    public static string Points(double fractionDelta, int decimals = 2)
    {
        var points = Math.Round(fractionDelta * 100, decimals);
        var magnitude = Math.Abs(points).ToString("0." + new string('0', decimals), CultureInfo.InvariantCulture);
        return (points > 0 ? "+" : points < 0 ? "−" : string.Empty) + magnitude + " pp";
    }

    /// <summary>A feature as a person reads it ("Total volume (USD)"); an unknown name stays as it is.</summary>
    /// <param name="name">The snake_case name machines use (CSV, API, saved metrics).</param>
    public static string Feature(string name) => LoanFeatures.Find(name)?.Label ?? name;
}

using System.Globalization;

namespace LynqDashboard.Core.Reports;

/// <summary>How the report writes numbers and times: invariant, as the version page writes them (metrics with four decimals, "8.1 %").</summary>
public static class ReportFormat
{
    /// <summary>A metric as the version page's cards print it: 0.8123.</summary>
    public static string Metric(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>A fraction as a percentage: 0.081 → "8.1 %".</summary>
    public static string Percent(double fraction, int decimals = 1) =>
        (fraction * 100).ToString(decimals > 0 ? "0." + new string('0', decimals) : "0", CultureInfo.InvariantCulture) + " %";

    /// <summary>A count with thousands separators: 20,000.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A value of a feature's range, with as few decimals as it needs: 1,250.5 or 0.0125.</summary>
    public static string Value(double value) => value.ToString(Math.Abs(value) >= 100 ? "#,0.##" : "#,0.####", CultureInfo.InvariantCulture);

    /// <summary>A point in time, in UTC to the second: 2026-03-04 12:30:05 UTC.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>A time that may be missing: "–" when it is.</summary>
    public static string Time(DateTimeOffset? at) => at is { } value ? Time(value) : "–";

    /// <summary>Any number for a parameter table, invariant.</summary>
    public static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}

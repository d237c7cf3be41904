using System.Globalization;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Monitoring;

/// <summary>The ledger as CSV, one entry at a time (an export streams: nothing is held but the current row).</summary>
public static class DecisionCsv
{
    /// <summary>The columns, in order: who and what decided, the 12 features by name, the answer, then the outcome.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "at", "request_id", "channel", "caller", "model_version", "model_number", "model_sha256", "policy_version",
        .. LoanFeatures.Names,
        "default_probability", "credit_score", "risk_level", "action", "decision_reason", "reason_codes", "reason_catalogue_version", "is_fallback",
        "shadow_version", "shadow_probability", "shadow_action", "outcome_defaulted", "outcome_observed_at",
    ];

    public static Task WriteHeaderAsync(TextWriter writer) =>
        (writer ?? throw new ArgumentNullException(nameof(writer))).WriteLineAsync(string.Join(',', Columns));

    public static Task WriteRowAsync(TextWriter writer, LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(entry);
        var d = entry.Decision;
        var cells = new List<string>(Columns.Count)
        {
            Time(d.At), d.RequestId, d.Channel, d.Caller, d.ModelVersion, d.ModelNumber?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, d.ModelSha256,
            d.PolicyVersion.ToString(CultureInfo.InvariantCulture),
        };
        cells.AddRange(d.FeatureValues().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        cells.AddRange(
        [
            d.DefaultProbability.ToString("R", CultureInfo.InvariantCulture), d.CreditScore.ToString(CultureInfo.InvariantCulture), d.RiskLevel, d.Action, d.DecisionReason,
            d.ReasonCodes, d.ReasonCatalogueVersion, d.IsFallback ? "true" : "false",
            d.ShadowVersion ?? string.Empty, d.ShadowProbability?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty, d.ShadowAction ?? string.Empty,
            entry.Outcome is { } o ? (o.Defaulted ? "true" : "false") : string.Empty, entry.Outcome is { } seen ? Time(seen.ObservedAt) : string.Empty,
        ]);
        return writer.WriteLineAsync(string.Join(',', cells.Select(Quote)));
    }

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    // Quoted when it holds a separator or a quote; a leading formula character is defused for spreadsheets.
    private static string Quote(string cell)
    {
        if (cell.Length > 0 && cell[0] is '=' or '+' or '@' or '\t' or '\r' || (cell.Length > 1 && cell[0] == '-' && !char.IsAsciiDigit(cell[1])))
        {
            cell = "'" + cell;
        }

        return cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
    }
}

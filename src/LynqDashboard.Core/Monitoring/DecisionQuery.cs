namespace LynqDashboard.Core.Monitoring;

/// <summary>Which decisions to read, newest first. Every filter is optional.</summary>
/// <param name="Take">How many items at most (the page size).</param>
/// <param name="Skip">How many of the newest matching items to pass over.</param>
/// <param name="ModelNumber">Only this registry version.</param>
/// <param name="FallbackOnly">Only answers of the rule-based fallback.</param>
/// <param name="Action">Only this recommended action (its name, e.g. "REJECT").</param>
/// <param name="From">At or after this time.</param>
/// <param name="To">Before this time.</param>
/// <param name="Channel">Only this path (<see cref="DecisionChannels"/>).</param>
public sealed record DecisionQuery(
    int Take = 100,
    int Skip = 0,
    int? ModelNumber = null,
    bool FallbackOnly = false,
    string? Action = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Channel = null)
{
    /// <summary>Largest page the API serves.</summary>
    public const int MaxTake = 1000;

    /// <summary>How a person names the fallback in a version filter (its full name, rule-based-fallback, is read too).</summary>
    public const string FallbackName = "fallback";

    /// <summary>Reads a version filter: empty for any, a number ("3" or "v3"), or "fallback".</summary>
    /// <returns>False with <paramref name="problem"/> in words when it is none of these.</returns>
    public static bool TryReadVersion(string? text, out int? number, out bool fallbackOnly, out string? problem)
    {
        (number, fallbackOnly, problem) = (null, false, null);
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            return true;
        }

        if (string.Equals(trimmed, FallbackName, StringComparison.OrdinalIgnoreCase) || string.Equals(trimmed, Scoring.CreditScorer.FallbackVersion, StringComparison.OrdinalIgnoreCase))
        {
            fallbackOnly = true;
            return true;
        }

        var digits = trimmed.StartsWith('v') || trimmed.StartsWith('V') ? trimmed[1..] : trimmed;
        if (int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            number = n;
            return true;
        }

        problem = $"'{trimmed}' is neither a version number (3 or v3) nor \"{FallbackName}\"";
        return false;
    }
}

/// <summary>One page of decisions: how many match in all, and the page itself (newest first), each with its outcome when one was reported.</summary>
public sealed record DecisionPage(long Total, IReadOnlyList<LedgerEntry> Items);

/// <summary>A decision and, when reported, its outcome.</summary>
public sealed record LedgerEntry(DecisionRecord Decision, OutcomeRecord? Outcome);

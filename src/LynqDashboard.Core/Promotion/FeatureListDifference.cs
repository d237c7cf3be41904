namespace LynqDashboard.Core.Promotion;

/// <summary>Says how two feature lists differ, in words; the scoring contract depends on names and order.</summary>
public static class FeatureListDifference
{
    /// <summary>Null when equal; otherwise what is missing, what is extra, or the first position where the order differs.</summary>
    /// <param name="production">The production model's features, in order.</param>
    /// <param name="candidate">The version's features, in order.</param>
    public static string? Describe(IReadOnlyList<string> production, IReadOnlyList<string> candidate)
    {
        ArgumentNullException.ThrowIfNull(production);
        ArgumentNullException.ThrowIfNull(candidate);
        if (production.SequenceEqual(candidate, StringComparer.Ordinal))
        {
            return null;
        }

        var parts = new List<string>();
        var missing = production.Except(candidate, StringComparer.Ordinal).ToList();
        var extra = candidate.Except(production, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            parts.Add($"missing {string.Join(", ", missing)}");
        }

        if (extra.Count > 0)
        {
            parts.Add($"extra {string.Join(", ", extra)}");
        }

        if (parts.Count == 0)
        {
            var shared = Math.Min(production.Count, candidate.Count);
            var at = Enumerable.Range(0, shared).FirstOrDefault(i => !string.Equals(production[i], candidate[i], StringComparison.Ordinal), -1);
            parts.Add(at >= 0
                ? $"same features in another order: position {at + 1} is {production[at]} in production but {candidate[at]} here"
                : $"a feature is repeated: production lists {production.Count}, this version {candidate.Count}");
        }

        return string.Join("; ", parts);
    }
}

using System.Globalization;
using LynqDashboard.Core.Monitoring;

namespace LynqDashboard.Web.Model;

/// <summary>The Decisions page's filter as the decisions endpoints read it.</summary>
public static class DecisionFilter
{
    /// <summary>Reads the version filter: empty for any, a number ("3" or "v3"), or "fallback".</summary>
    public static bool TryRead(string? version, out int? number, out bool fallbackOnly, out string? problem)
    {
        (number, fallbackOnly, problem) = (null, false, null);
        var text = version?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            return true;
        }

        if (string.Equals(text, MonitoringChoice.FallbackKey, StringComparison.OrdinalIgnoreCase))
        {
            fallbackOnly = true;
            return true;
        }

        if (int.TryParse(text.TrimStart('v', 'V'), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            number = n;
            return true;
        }

        problem = $"Version '{text}' is neither a version number (3 or v3) nor \"fallback\".";
        return false;
    }

    /// <summary>The export link for the same filter (the endpoint streams every matching decision).</summary>
    public static string CsvUrl(DecisionQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parts = new List<string>();
        if (query.ModelNumber is { } n)
        {
            parts.Add($"version={n}");
        }
        else if (query.FallbackOnly)
        {
            parts.Add("version=fallback");
        }

        Add("action", query.Action);
        Add("channel", query.Channel);
        Add("from", query.From?.ToString("o", CultureInfo.InvariantCulture));
        Add("to", query.To?.ToString("o", CultureInfo.InvariantCulture));
        return "/api/dashboard/decisions.csv" + (parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts));

        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
    }
}

using System.Globalization;
using LynqDashboard.Core.Monitoring;

namespace LynqDashboard.Web.Model;

/// <summary>Links to the decisions endpoints for a filter the Decisions page holds.</summary>
public static class DecisionLinks
{
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
            parts.Add($"version={DecisionQuery.FallbackName}");
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

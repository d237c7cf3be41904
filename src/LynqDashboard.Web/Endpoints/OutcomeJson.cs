using System.Text.Json;
using LynqDashboard.Core.Monitoring;

namespace LynqDashboard.Web.Endpoints;

/// <summary>Reads {"outcomes": [{"request_id", "defaulted", "observed_at"}]} by hand, so every problem names its field ("outcomes[3].observed_at").</summary>
public static class OutcomeJson
{
    public const int MaxItems = 10_000;

    public static bool TryParse(string body, out IReadOnlyList<OutcomeSubmission> outcomes, out Dictionary<string, string[]> errors)
    {
        outcomes = [];
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            errors["body"] = [$"is not JSON ({e.Message})"];
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("outcomes", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                errors["outcomes"] = ["is required: an array of {\"request_id\", \"defaulted\", \"observed_at\"}"];
                return false;
            }

            if (items.GetArrayLength() is 0 or > MaxItems)
            {
                errors["outcomes"] = [$"must hold 1 to {MaxItems:N0} items (it holds {items.GetArrayLength():N0})"];
                return false;
            }

            var read = new List<OutcomeSubmission>(items.GetArrayLength());
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                var at = $"outcomes[{index++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors[at] = ["must be an object"];
                    continue;
                }

                var id = item.TryGetProperty("request_id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
                if (id is null)
                {
                    errors[$"{at}.request_id"] = ["is required (a string)"];
                }

                bool? defaulted = item.TryGetProperty("defaulted", out var flag) ? flag.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => null,
                } : null;
                if (defaulted is null)
                {
                    errors[$"{at}.defaulted"] = ["is required (true or false)"];
                }

                DateTimeOffset observed = default;
                if (!(item.TryGetProperty("observed_at", out var time) && time.ValueKind == JsonValueKind.String && OutcomeCsv.TryParseTime(time.GetString()!, out observed)))
                {
                    errors[$"{at}.observed_at"] = ["is required: a time with its offset, such as 2026-12-01T00:00:00Z"];
                }

                if (id is not null && defaulted is { } d && errors.Count == 0)
                {
                    read.Add(new OutcomeSubmission(id, d, observed));
                }

                if (errors.Count >= 20)
                {
                    break;
                }
            }

            outcomes = read;
            return errors.Count == 0;
        }
    }
}

using System.Text.Json;

namespace LynqDashboard.Core.Features;

/// <summary>
/// Reads a LYNQ application from snake_case JSON and reports every problem by field name at once: missing
/// required fields, wrong types, non-finite numbers, out-of-range values and unknown fields.
/// </summary>
public static class LoanApplicationJson
{
    /// <summary>The caller's own id for the application (required, at most <see cref="LoanFeatures.MaxWalletAddressLength"/> characters).</summary>
    public const string WalletAddressField = "wallet_address";

    /// <summary>Parses <paramref name="json"/>; on failure <paramref name="errors"/> maps each bad field to its messages.</summary>
    public static bool TryParse(string json, out LoanApplication? application, out IReadOnlyDictionary<string, string[]> errors)
    {
        application = null;
        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "null" : json);
        }
        catch (JsonException e)
        {
            errors = new Dictionary<string, string[]> { ["body"] = [$"is not valid JSON ({e.Message.Split('.')[0]})"] };
            return false;
        }

        using (document)
        {
            application = TryRead(document.RootElement, problems);
        }

        errors = problems.ToDictionary(p => p.Key, p => p.Value.ToArray());
        return application is not null;
    }

    /// <summary>Reads one application object; adds problems under field names (prefixed by <paramref name="prefix"/>).</summary>
    public static LoanApplication? TryRead(JsonElement root, Dictionary<string, List<string>> problems, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (root.ValueKind != JsonValueKind.Object)
        {
            Add(problems, prefix.Length == 0 ? "body" : prefix.TrimEnd('.'), "must be a JSON object with the application fields");
            return null;
        }

        var before = problems.Count;
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? wallet = null;
        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                Add(problems, prefix + property.Name, "appears more than once");
                continue;
            }

            if (property.Name == WalletAddressField)
            {
                if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { } text && !string.IsNullOrWhiteSpace(text))
                {
                    if (text.Length > LoanFeatures.MaxWalletAddressLength)
                    {
                        Add(problems, prefix + property.Name, $"must be at most {LoanFeatures.MaxWalletAddressLength} characters (got {text.Length:N0})");
                    }
                    else
                    {
                        wallet = text;
                    }
                }
                else
                {
                    Add(problems, prefix + property.Name, "must be a non-empty string");
                }

                continue;
            }

            var spec = LoanFeatures.Find(property.Name);
            if (spec is null || spec.IsComputed || spec.Name != property.Name)
            {
                Add(problems, prefix + property.Name, spec?.IsComputed == true ? "is computed from loan_amount and collateral_value_usd; do not send it" : "is not a field of the application");
                continue;
            }

            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var value))
            {
                Add(problems, prefix + spec.Name, property.Value.ValueKind == JsonValueKind.String ? "must be a number, not a string" : "must be a number");
                continue;
            }

            if (spec.Check(value) is { } message)
            {
                Add(problems, prefix + spec.Name, message);
                continue;
            }

            values[spec.Name] = value;
        }

        if (wallet is null && !problems.ContainsKey(prefix + WalletAddressField))
        {
            Add(problems, prefix + WalletAddressField, "is required");
        }

        foreach (var spec in LoanFeatures.Supplied)
        {
            if (!values.ContainsKey(spec.Name) && !spec.IsOptional && !problems.ContainsKey(prefix + spec.Name))
            {
                Add(problems, prefix + spec.Name, "is required");
            }
        }

        if (problems.Count > before)
        {
            return null;
        }

        return LoanApplication.From(wallet, spec => values.TryGetValue(spec.Name, out var value) ? value : spec.Default!.Value);
    }

    private static void Add(Dictionary<string, List<string>> problems, string field, string message)
    {
        if (!problems.TryGetValue(field, out var list))
        {
            problems[field] = list = [];
        }

        list.Add(message);
    }
}

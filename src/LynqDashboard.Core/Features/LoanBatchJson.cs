using System.Text.Json;

namespace LynqDashboard.Core.Features;

/// <summary>One item of a batch: the application, or the problems that kept it from being read (by field).</summary>
public sealed record BatchEntry(LoanApplication? Application, IReadOnlyDictionary<string, string[]>? Errors);

/// <summary>
/// Reads a batch body, <c>{"applications": [ ... ]}</c>. A bad item never fails the batch: it is reported by
/// its own fields and the good ones are read. Only a body whose shape is wrong (not JSON, no applications
/// array, too many items, nested deeper than <see cref="MaxDepth"/>) is refused as a whole.
/// </summary>
public static class LoanBatchJson
{
    public const string ApplicationsField = "applications";

    /// <summary>The field that problems with one item as a whole (not an object, too many properties) go under.</summary>
    public const string ItemField = "application";

    /// <summary>
    /// Deepest nesting read. An item nested less deeply than this is just a bad item; a body nested more deeply
    /// cannot be read at all (a parser must stop somewhere), so it is refused as a whole.
    /// </summary>
    public const int MaxDepth = 256;

    /// <summary>Parses a UTF-8 batch body of at most <paramref name="maxItems"/> applications.</summary>
    /// <param name="utf8">The body's bytes.</param>
    /// <param name="maxItems">Most applications accepted in one batch.</param>
    /// <param name="entries">One entry per item, in order; empty when the body is refused.</param>
    /// <param name="errors">Why the body as a whole was refused, by field; empty on success.</param>
    public static bool TryParse(ReadOnlyMemory<byte> utf8, int maxItems, out IReadOnlyList<BatchEntry> entries, out IReadOnlyDictionary<string, string[]> errors)
    {
        entries = [];
        using var document = LoanApplicationJson.TryOpen(utf8, MaxDepth, out errors);
        if (document is null)
        {
            return false;
        }

        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var items = FindApplications(document.RootElement, problems);
        if (items is { } array && array.GetArrayLength() is var count && (count == 0 || count > maxItems))
        {
            LoanApplicationJson.Add(problems, ApplicationsField, $"must hold 1 to {maxItems:N0} applications (got {count:N0})");
        }

        if (problems.Count > 0 || items is null)
        {
            errors = LoanApplicationJson.Freeze(problems);
            return false;
        }

        var read = new List<BatchEntry>(items.Value.GetArrayLength());
        foreach (var item in items.Value.EnumerateArray())
        {
            var itemProblems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var application = LoanApplicationJson.TryRead(item, itemProblems, wholeField: ItemField);
            read.Add(new BatchEntry(application, application is null ? LoanApplicationJson.Freeze(itemProblems) : null));
        }

        entries = read;
        return true;
    }

    private static JsonElement? FindApplications(JsonElement root, Dictionary<string, List<string>> problems)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            LoanApplicationJson.Add(problems, LoanApplicationJson.BodyField, $"must be a JSON object with an '{ApplicationsField}' array, not {LoanApplicationJson.Describe(root.ValueKind)}");
            return null;
        }

        JsonElement? found = null;
        foreach (var property in root.EnumerateObject())
        {
            if (!LoanApplicationJson.TryGetName(property, out var name))
            {
                LoanApplicationJson.Add(problems, LoanApplicationJson.BodyField, $"has a property name that {LoanApplicationJson.NotText}");
            }
            else if (string.IsNullOrWhiteSpace(name))
            {
                LoanApplicationJson.Add(problems, LoanApplicationJson.BodyField, "has a property with a blank name");
            }
            else if (name != ApplicationsField)
            {
                LoanApplicationJson.Add(problems, LoanApplicationJson.Echo(name), $"is not a field of a batch; send {{\"{ApplicationsField}\": [...]}}");
            }
            else if (found is not null)
            {
                LoanApplicationJson.Add(problems, ApplicationsField, "appears more than once");
            }
            else if (property.Value.ValueKind != JsonValueKind.Array)
            {
                LoanApplicationJson.Add(problems, ApplicationsField, $"must be an array of application objects, not {LoanApplicationJson.Describe(property.Value.ValueKind)}");
                found = default(JsonElement);
            }
            else
            {
                found = property.Value;
            }

            if (problems.Count > LoanApplicationJson.MaxProperties)
            {
                break;
            }
        }

        if (found is null && !problems.ContainsKey(ApplicationsField))
        {
            LoanApplicationJson.Add(problems, ApplicationsField, "is required: send {\"applications\": [ ... ]}");
        }

        return found is { ValueKind: JsonValueKind.Array } array ? array : null;
    }
}

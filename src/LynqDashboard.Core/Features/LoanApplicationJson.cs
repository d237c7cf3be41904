using System.Text;
using System.Text.Json;

namespace LynqDashboard.Core.Features;

/// <summary>
/// Reads a LYNQ application from snake_case JSON and reports every problem by field name at once: missing
/// required fields, wrong types, numbers out of range, unknown or repeated fields. No input makes it throw: a
/// body that is not UTF-8 JSON, a lone surrogate in a \u escape or an object with thousands of properties
/// each becomes a message under the field it concerns ("body" for the request as a whole).
/// </summary>
public static class LoanApplicationJson
{
    /// <summary>The caller's own id for the application (required, at most <see cref="LoanFeatures.MaxWalletAddressLength"/> characters).</summary>
    public const string WalletAddressField = "wallet_address";

    /// <summary>The field that problems with the request as a whole are reported under.</summary>
    public const string BodyField = "body";

    /// <summary>
    /// Most properties one application object may have (the 12 fields and room for mistakes): an object with
    /// more is refused as a whole instead of listing thousands of unknown fields.
    /// </summary>
    public const int MaxProperties = 64;

    private static ReadOnlySpan<byte> Utf16LittleEndianMark => [0xFF, 0xFE];

    private static ReadOnlySpan<byte> Utf16BigEndianMark => [0xFE, 0xFF];

    /// <summary>Why a string or a property name could not be read: System.Text.Json checks both only when they are read.</summary>
    internal const string NotText = "is not valid text (bytes that are not UTF-8, or a \\u escape of a lone UTF-16 surrogate)";

    /// <summary>Unknown field names are echoed back up to this many characters.</summary>
    private const int MaxEchoedNameLength = 64;

    /// <summary>Parses <paramref name="json"/>; on failure <paramref name="errors"/> maps each bad field to its messages.</summary>
    public static bool TryParse(string json, out LoanApplication? application, out IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(json);

        // A .NET string may hold lone surrogates; UTF-8 encoding replaces them, so what is parsed is what a caller sent.
        return TryParse(Encoding.UTF8.GetBytes(json), out application, out errors);
    }

    /// <summary>Parses a UTF-8 request body; on failure <paramref name="errors"/> maps each bad field to its messages.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> utf8, out LoanApplication? application, out IReadOnlyDictionary<string, string[]> errors)
    {
        application = null;
        using var document = TryOpen(utf8, maxDepth: 64, out errors);
        if (document is null)
        {
            return false;
        }

        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        application = TryRead(document.RootElement, problems);
        errors = Freeze(problems);
        return application is not null;
    }

    /// <summary>
    /// Opens a UTF-8 JSON body (a UTF-8 byte order mark is allowed). Returns null, with the reason under
    /// <see cref="BodyField"/>, for an empty body, another encoding, or text that is not JSON.
    /// </summary>
    /// <param name="utf8">The body's bytes.</param>
    /// <param name="maxDepth">Deepest nesting accepted; deeper bodies are refused as a whole.</param>
    /// <param name="errors">Empty on success.</param>
    public static JsonDocument? TryOpen(ReadOnlyMemory<byte> utf8, int maxDepth, out IReadOnlyDictionary<string, string[]> errors)
    {
        var bytes = utf8.Span;
        if (bytes.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
            bytes = utf8.Span;
        }

        if (bytes.StartsWith(Utf16LittleEndianMark) || bytes.StartsWith(Utf16BigEndianMark))
        {
            errors = Single(BodyField, "must be UTF-8 JSON (it starts with a UTF-16 byte order mark)");
            return null;
        }

        if (bytes.Trim(" \t\r\n"u8).IsEmpty)
        {
            errors = Single(BodyField, "is empty; send a JSON object with the application fields");
            return null;
        }

        try
        {
            errors = new Dictionary<string, string[]>();
            return JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException e)
        {
            var reason = e.Message.Split(". ", 2)[0].TrimEnd('.');
            var where = e.LineNumber is { } line ? $"line {line + 1}, byte {e.BytePositionInLine + 1}" : "somewhere";
            errors = Single(BodyField, $"is not valid UTF-8 JSON at {where}: {reason}");
            return null;
        }
    }

    /// <summary>Reads one application object; adds problems under field names (prefixed by <paramref name="prefix"/>).</summary>
    /// <param name="root">The element that should hold the application.</param>
    /// <param name="problems">Where problems go, by field.</param>
    /// <param name="prefix">Put before every field name (default none).</param>
    /// <param name="wholeField">The field that problems with the object as a whole go under (default "body").</param>
    public static LoanApplication? TryRead(JsonElement root, Dictionary<string, List<string>> problems, string prefix = "", string wholeField = BodyField)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(prefix);
        if (root.ValueKind != JsonValueKind.Object)
        {
            Add(problems, wholeField, $"must be a JSON object with the application fields, not {Describe(root.ValueKind)}");
            return null;
        }

        if (root.EnumerateObject().Take(MaxProperties + 1).Count() > MaxProperties)
        {
            Add(problems, wholeField, $"has more than {MaxProperties} properties; an application has {LoanFeatures.Supplied.Count + 1} fields");
            return null;
        }

        var before = problems.Count;
        var values = new double?[LoanFeatures.Supplied.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? wallet = null;
        foreach (var property in root.EnumerateObject())
        {
            if (!TryGetName(property, out var name))
            {
                Add(problems, wholeField, $"has a property name that {NotText}");
                continue;
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                Add(problems, wholeField, "has a property with a blank name");
                continue;
            }

            if (!seen.Add(name))
            {
                Add(problems, prefix + Echo(name), "appears more than once");
                continue;
            }

            if (name == WalletAddressField)
            {
                if (ReadWallet(property.Value, out var text) is { } problem)
                {
                    Add(problems, prefix + name, problem);
                }
                else
                {
                    wallet = text;
                }

                continue;
            }

            var spec = LoanFeatures.Find(name);
            if (spec is null || spec.IsComputed || spec.Name != name)
            {
                Add(problems, prefix + Echo(name), spec?.IsComputed == true
                    ? "is computed from loan_amount and collateral_value_usd; do not send it"
                    : spec is not null ? $"is not a field of the application (did you mean {spec.Name}?)" : "is not a field of the application");
                continue;
            }

            if (ReadNumber(property.Value, spec, out var value) is { } message)
            {
                Add(problems, prefix + spec.Name, message);
                continue;
            }

            values[spec.Index] = value;
        }

        if (wallet is null && !problems.ContainsKey(prefix + WalletAddressField))
        {
            Add(problems, prefix + WalletAddressField, "is required");
        }

        foreach (var spec in LoanFeatures.Supplied)
        {
            if (values[spec.Index] is null && !spec.IsOptional && !problems.ContainsKey(prefix + spec.Name))
            {
                Add(problems, prefix + spec.Name, "is required");
            }
        }

        if (problems.Count > before)
        {
            return null;
        }

        return LoanApplication.From(wallet, spec => values[spec.Index] ?? spec.Default!.Value);
    }

    /// <summary>The problems as the read-only map the endpoints and the command line report.</summary>
    public static IReadOnlyDictionary<string, string[]> Freeze(Dictionary<string, List<string>> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return problems.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Null when <paramref name="text"/> may be a wallet address, otherwise what is wrong with it.</summary>
    public static string? CheckWalletAddress(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            return "must be a non-empty string";
        }

        if (text.Length > LoanFeatures.MaxWalletAddressLength)
        {
            return $"must be at most {LoanFeatures.MaxWalletAddressLength} characters (got {text.Length:N0})";
        }

        if (text.Any(char.IsControl))
        {
            return "must not hold control characters (tabs, line breaks, NUL)";
        }

        return text.Contains('\uFFFD', StringComparison.Ordinal) ? "is not valid UTF-8 text (it holds the replacement character U+FFFD)" : null;
    }

    internal static void Add(Dictionary<string, List<string>> problems, string field, string message)
    {
        if (!problems.TryGetValue(field, out var list))
        {
            problems[field] = list = [];
        }

        list.Add(message);
    }

    private static string? ReadWallet(JsonElement value, out string? text)
    {
        text = null;
        if (value.ValueKind != JsonValueKind.String)
        {
            return $"must be a non-empty string, not {Describe(value.ValueKind)}";
        }

        if (!TryGetString(value, out var candidate))
        {
            return $"is a string that {NotText}";
        }

        if (CheckWalletAddress(candidate) is { } problem)
        {
            return problem;
        }

        text = candidate;
        return null;
    }

    private static string? ReadNumber(JsonElement element, FeatureSpec spec, out double value)
    {
        value = 0;
        if (element.ValueKind != JsonValueKind.Number)
        {
            return element.ValueKind == JsonValueKind.String ? "must be a number, not a string" : $"must be a number, not {Describe(element.ValueKind)}";
        }

        // JSON allows 1e999; a double does not (TryGetDouble may answer infinity): out of range, not "not finite".
        if (!element.TryGetDouble(out value) || !double.IsFinite(value))
        {
            return $"is out of range: must be at most {FeatureSpec.Format(spec.Maximum)}";
        }

        return spec.Check(value);
    }

    internal static bool TryGetName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = string.Empty;
            return false;
        }
    }

    private static bool TryGetString(JsonElement element, out string text)
    {
        try
        {
            text = element.GetString() ?? string.Empty;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = string.Empty;
            return false;
        }
    }

    internal static string Echo(string name) => name.Length <= MaxEchoedNameLength ? name : string.Concat(name.AsSpan(0, MaxEchoedNameLength), "…");

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    internal static Dictionary<string, string[]> Single(string field, string message) => new(StringComparer.Ordinal) { [field] = [message] };
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsCheck;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Web.Tests.Endpoints;

/// <summary>A generated request body and what the generator knows about it.</summary>
/// <param name="Kind">How it was made, for the histogram and a failure report.</param>
/// <param name="Bytes">The body as sent.</param>
/// <param name="Valid">True when it must be scored, false when it must be refused, null when the generator cannot tell.</param>
/// <param name="Keys">Field names it contains besides the application's own (unknown fields), as a reader decodes them.</param>
internal sealed record FuzzBody(string Kind, byte[] Bytes, bool? Valid, IReadOnlyList<string> Keys)
{
    public override string ToString()
    {
        var text = Encoding.UTF8.GetString(Bytes);
        return $"{Kind} (valid: {Valid?.ToString() ?? "unknown"}, {Bytes.Length:N0} bytes): {(text.Length > 600 ? text[..600] + "…" : text)}";
    }
}

/// <summary>One generated batch body: its shape is known to be right (or not), and each item is known to be valid (or not).</summary>
internal sealed record FuzzBatch(string Kind, byte[] Bytes, bool? Shaped, IReadOnlyList<bool> ItemValid, IReadOnlyList<string> Keys, bool Explain)
{
    public override string ToString()
    {
        var text = Encoding.UTF8.GetString(Bytes);
        return $"{Kind} (shaped: {Shaped?.ToString() ?? "unknown"}, items valid: [{string.Join(",", ItemValid)}]): {(text.Length > 900 ? text[..900] + "…" : text)}";
    }
}

/// <summary>
/// CsCheck generators of LYNQ application JSON, valid and not: wrong types for every field, numeric extremes
/// (±0, subnormals, 1e-300, 1e39, 1e308, huge integers, 1e+999), duplicate, missing, unknown and computed fields,
/// deep nesting, truncation, bytes that are not UTF-8, other encodings, unicode (RTL marks, emoji, NUL) in
/// strings and keys, and bodies that are not objects at all. Each case carries whether it must be accepted.
/// </summary>
internal static partial class JsonBodies
{
    /// <summary>Every field name a reader may report besides unknown ones.</summary>
    public static IReadOnlySet<string> KnownFields { get; } = new HashSet<string>(
        [LoanApplicationJson.BodyField, LoanApplicationJson.WalletAddressField, LoanBatchJson.ApplicationsField, LoanBatchJson.ItemField, .. LoanFeatures.Names], StringComparer.Ordinal);

    private static readonly string[] Extremes =
    [
        "0", "-0", "0.0", "-0.0", "5e-324", "-5e-324", "2.2250738585072014e-308", "1e-300", "1e-400", "0.01", "0.009999", "1e39", "1e308",
        "-1e308", "1.7976931348623157e308", "1e+999", "-1e999", "1E400", "123456789012345678901234567890", "-123456789012345678901234567890",
        "1e300", "1e9", "1E9", "1000000001", "9007199254740993", "2147483648", "-2147483649", "36500", "36501", "36", "37", "100", "101",
        "1e12", "1.0000001e12", "3.5", "-1", "1e-7", "0.5e1",
        "NaN", "Infinity", "-Infinity", "01", "+1", ".5", "1.", "1e", "0x10", "- 1", "1_000",
    ];

    private static readonly string[] WrongTypes = ["null", "true", "false", "\"365\"", "\"\"", "[]", "[1]", "{}", "{\"value\":1}", "\"1e3\""];

    // Key text as written inside the quotes (already JSON-escaped where needed).
    private static readonly string[] OddKeys =
    [
        "credit_limit", "Loan_Amount", "WALLET_ADDRESS", "collateral_ratio", "", " ", "\u202Eevil", "\U0001F680", "\\u0000", "\\ud800", "a\\\"b",
        new string('k', 300), "wallet_address ", "loan amount", "__proto__", "\u65E5\u672C", "\\uD83D\\uDE80",
    ];

    private static readonly string[] OddBodies =
    [
        "", "   ", "\n", "null", "[]", "[{}]", "1", "\"x\"", "{", "}", "{}", "{\"wallet_address\"}", "{\"a\":1,}", "{'a':1}", "/*c*/{}", "\uFEFF",
        "{\"wallet_address\":\"0x1\"}}", "{\"wallet_address\":\"0x1\"} {}", "\0", "{\"\0\":1}", "[[[[", "\"\\ud800\"",
    ];

    private static readonly byte[][] NotUtf8 = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC3], [0xFE, 0xFE]];

    private static readonly string[] WalletPieces = ["\u200F", "\u202E", "\U0001F680", "\u200D", "\u00E9", "\u65E5\u672C", "\uFEFF", "\u00DF", "0", "f"];

    // Declared before the generators that use it: static initializers run in order.
    private static Gen<(string Json, bool Valid)> ValidWallet { get; } = Gen.Frequency(
        (6, Gen.Char["0123456789abcdef"].Array[1, 40].Select(a => ($"\"0x{new string(a)}\"", true))),
        (2, Gen.OneOf(WalletPieces).Array[1, 5].Select(p => ($"\"0x{string.Concat(p)}\"", true))),
        (1, Gen.OneOf(WalletPieces).Array[1, 5].Select(p => (JsonSerializer.Serialize("0x" + string.Concat(p)), true))),
        (1, Gen.Const(($"\"{new string('a', LoanFeatures.MaxWalletAddressLength)}\"", true))));

    private static Gen<(string Json, bool Valid)> Wallet { get; } = Gen.Frequency(
        (10, ValidWallet),
        (3, Gen.OneOf(
            "\"\"", "\"   \"", "\"0x\\u0000\"", "\"a\\tb\"", "\"\\ud800\"", "\"\\udc00x\"", $"\"{new string('a', LoanFeatures.MaxWalletAddressLength + 1)}\"",
            $"\"{new string('a', 10_000)}\"", "42", "null", "{}", "[\"0x\"]", "\"a\tb\"", "\"\uFFFD\"", "\"0x\u0001\"").Select(x => (x, false))));

    /// <summary>One application object, as JSON text: about half are valid, the rest break one rule or many.</summary>
    public static Gen<(string Text, bool Valid, IReadOnlyList<string> Keys)> Application { get; } =
        Gen.Frequency((4, CreateApplication(chaotic: false)), (6, CreateApplication(chaotic: true)));

    /// <summary>A body for POST /api/ml/credit-score.</summary>
    public static Gen<FuzzBody> Single { get; } = Gen.Frequency(
        (14, Application.Select(a => new FuzzBody("object", Utf8(a.Text), a.Valid, a.Keys))),
        (1, Application.Select(a => new FuzzBody("utf8-bom", [0xEF, 0xBB, 0xBF, .. Utf8(a.Text)], a.Valid, a.Keys))),
        (2, Application.SelectMany(a => Gen.Int[0, Math.Max(0, Utf8(a.Text).Length - 1)].Select(n => new FuzzBody("truncated", Utf8(a.Text)[..n], false, a.Keys)))),
        (2, Application.SelectMany(a => WithInvalidBytes(Utf8(a.Text)).Select(b => new FuzzBody("not-utf8", b, false, a.Keys)))),
        (1, Application.Select(a => new FuzzBody("utf16", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(a.Text)], false, a.Keys))),
        (2, Gen.OneOf(OddBodies).Select(b => new FuzzBody("odd", Utf8(b), false, []))),
        (1, Gen.Int[LoanApplicationJson.MaxProperties + 1, 3_000].Select(n => new FuzzBody("many-properties", Utf8("{" + string.Join(',', Enumerable.Range(0, n).Select(i => $"\"p{i}\":{i}")) + "}"), false, []))),
        (1, Gen.Int[50, 5_000].Select(d => new FuzzBody("deep", Utf8(new string('[', d) + new string(']', d)), false, []))));

    /// <summary>A body for POST /api/ml/credit-score/batch.</summary>
    public static Gen<FuzzBatch> Batch { get; } = CreateBatch();

    /// <summary>The name a reader gives a generated unknown key: decoded, and cut at 64 characters; null when it reports the body instead.</summary>
    public static string? Decoded(string keyText)
    {
        ArgumentNullException.ThrowIfNull(keyText);
        try
        {
            var name = JsonSerializer.Deserialize<string>($"\"{keyText}\"")!;
            return string.IsNullOrWhiteSpace(name) || HasLoneSurrogate(name) ? null : name.Length <= 64 ? name : name[..64] + "…";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    // Not chaotic: every field valid, optional ones sometimes left out, so valid bodies are common enough to check scoring.
    private static Gen<(string Text, bool Valid, IReadOnlyList<string> Keys)> CreateApplication(bool chaotic)
    {
        var bad = chaotic ? 1 : 0;
        var fields = LoanFeatures.Supplied.Aggregate(
            Gen.Const(new List<(string Key, string Value, bool Valid)>()),
            (list, spec) => list.SelectMany(parts => Gen.Frequency(
                    (12, (chaotic ? Value(spec) : ValidNumber(spec).Select(v => (Json: v, Valid: true))).Select(v => ((string Key, string Value, bool Valid)?)(spec.Name, v.Json, v.Valid))),
                    (spec.IsOptional ? 4 : bad, Gen.Const(((string, string, bool)?)null)))
                .Select(part => part is { } p ? [.. parts, p] : parts)));
        var wallet = Gen.Frequency(
            (14, (chaotic ? Wallet : ValidWallet).Select(w => ((string, string, bool)?)(LoanApplicationJson.WalletAddressField, w.Json, w.Valid))),
            (bad, Gen.Const(((string, string, bool)?)null)));
        var extra = Gen.Frequency(
            (3, Gen.OneOf(OddKeys).SelectMany(key => Gen.OneOf([.. WrongTypes, "1", "\"x\""]).Select(v => (key, v, false)))),
            (2, Gen.OneOf([.. LoanFeatures.Supplied.Select(f => f.Name), LoanApplicationJson.WalletAddressField]).Select(key => (key, key == LoanApplicationJson.WalletAddressField ? "\"0xdup\"" : "1", false))));
        var extras = Gen.Frequency((8, Gen.Const(Array.Empty<(string, string, bool)>())), (2 * bad, extra.Array[1, 3]));
        var nesting = Gen.Frequency((12, Gen.Const(0)), (bad, Gen.Int[1, 300]));
        return Gen.Select(fields, wallet, extras, nesting, Gen.Int[0, int.MaxValue], (parts, w, more, depth, seed) =>
        {
            var all = new List<(string Key, string Value, bool Valid)>(parts);
            if (w is { } walletPart)
            {
                all.Add(walletPart);
            }

            // An extra with a field's name is a duplicate only when the field is there already; otherwise it is the field.
            var unknown = new List<(string Key, string Value, bool Valid)>();
            foreach (var m in more)
            {
                var spec = LoanFeatures.Supplied.FirstOrDefault(f => f.Name == m.Item1);
                var named = spec is not null || m.Item1 == LoanApplicationJson.WalletAddressField;
                if (named && !all.Any(p => p.Key == m.Item1))
                {
                    all.Add((m.Item1, m.Item2, spec is null || Accepts(spec, m.Item2)));
                }
                else
                {
                    unknown.Add(m);
                }
            }

            var required = LoanFeatures.Supplied.Where(f => !f.IsOptional).Select(f => f.Name).Append(LoanApplicationJson.WalletAddressField);
            var valid = all.All(p => p.Valid) && required.All(name => all.Any(p => p.Key == name)) && unknown.Count == 0 && depth == 0;
            all.AddRange(unknown);
            var random = new Random(seed);
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(all));
            if (depth > 0 && all.Count > 0)
            {
                var i = random.Next(all.Count);
                all[i] = (all[i].Key, new string('[', depth) + all[i].Value + new string(']', depth), false);
            }

            var text = "{" + string.Join(',', all.Select(p => $"\"{p.Key}\":{p.Value}")) + "}";
            IReadOnlyList<string> keys = [.. unknown.Select(m => Decoded(m.Key)).OfType<string>()];
            return (text, valid, keys);
        });
    }

    private static Gen<FuzzBatch> CreateBatch()
    {
        var item = Gen.Frequency(
            (10, Application),
            (1, Gen.OneOf("1", "null", "[]", "\"x\"", "true", "[{}]").Select(t => (Text: t, Valid: false, Keys: (IReadOnlyList<string>)[]))));
        return Gen.Select(item.Array[1, 6], Gen.Int[0, 20], Gen.OneOf(OddKeys), Gen.Int[0, int.MaxValue], Gen.Bool, (items, shape, key, seed, explain) =>
        {
            var list = "[" + string.Join(',', items.Select(i => i.Text)) + "]";
            var plain = Utf8($"{{\"applications\":{list}}}");

            // An item that is not JSON at all (or nested past the limit) makes the whole body unreadable: only then is the batch refused.
            var readable = items.All(i => Parses(i.Text, LoanBatchJson.MaxDepth - 2));
            var itemValid = items.Select(i => i.Valid).ToArray();
            IReadOnlyList<string> keys = [.. items.SelectMany(i => i.Keys)];
            var random = new Random(seed);
            return shape switch
            {
                < 12 => new FuzzBatch(readable ? "batch" : "batch-unreadable-item", plain, readable, itemValid, keys, explain),
                12 => new FuzzBatch("batch-bom", [0xEF, 0xBB, 0xBF, .. plain], readable, itemValid, keys, explain),
                13 => new FuzzBatch("batch-unknown-key", Utf8($"{{\"{key}\":1,\"applications\":{list}}}"), false, itemValid, [.. keys, .. Decoded(key) is { } k ? [k] : Array.Empty<string>()], explain),
                14 => new FuzzBatch("batch-twice", Utf8($"{{\"applications\":{list},\"applications\":{list}}}"), false, itemValid, keys, explain),
                15 => new FuzzBatch("batch-not-array", Utf8($"{{\"applications\":{items[0].Text}}}"), items[0].Text.StartsWith('[') && Parses(items[0].Text, LoanBatchJson.MaxDepth - 1) ? null : false, itemValid, keys, explain),
                16 => new FuzzBatch("batch-empty", Utf8("{\"applications\":[]}"), false, [], [], explain),
                17 => new FuzzBatch("batch-truncated", plain[..random.Next(plain.Length)], false, itemValid, keys, explain),
                18 => new FuzzBatch("batch-not-utf8", Insert(plain, random.Next(plain.Length + 1), NotUtf8[random.Next(NotUtf8.Length)]), null, itemValid, keys, explain),
                19 => new FuzzBatch("batch-deep", Utf8(new string('[', 300 + random.Next(3000)) + "]"), false, [], [], explain),
                _ => new FuzzBatch("batch-odd", Utf8(OddBodies[random.Next(OddBodies.Length)]), false, [], [], explain),
            };
        });
    }

    private static Gen<(string Json, bool Valid)> Value(FeatureSpec spec) => Gen.Frequency(
        (8, ValidNumber(spec).Select(v => (v, true))),
        (3, Gen.OneOf(Extremes).Select(x => (x, Accepts(spec, x)))),
        (2, Gen.OneOf(WrongTypes).Select(x => (x, false))));

    /// <summary>A number the spec accepts, written as JSON.</summary>
    public static Gen<string> ValidNumber(FeatureSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.IsInteger)
        {
            var min = (long)spec.Minimum;
            var max = (long)spec.Maximum;
            return Gen.Frequency((4, Gen.Long[min, Math.Min(max, 5_000)]), (1, Gen.Long[min, max]), (1, Gen.OneOf(min, max)))
                .Select(v => v.ToString(CultureInfo.InvariantCulture));
        }

        return Gen.Frequency((4, Gen.Double[spec.Minimum, Math.Min(spec.Maximum, 1e6)]), (1, Gen.Double[spec.Minimum, spec.Maximum]), (1, Gen.OneOf(spec.Minimum, spec.Maximum)))
            .Select(v => Math.Clamp(v, spec.Minimum, spec.Maximum).ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>True when <paramref name="text"/> is a JSON number the spec accepts.</summary>
    public static bool Accepts(FeatureSpec spec, string text)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return JsonNumber().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value) && spec.Check(value) is null;
    }

    private static bool Parses(string json, int maxDepth)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = maxDepth });
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static Gen<byte[]> WithInvalidBytes(byte[] body) =>
        Gen.Select(Gen.Int[0, body.Length], Gen.Int[0, NotUtf8.Length - 1], (at, which) => Insert(body, at, NotUtf8[which]));

    private static byte[] Insert(byte[] body, int at, byte[] bytes) => [.. body[..at], .. bytes, .. body[at..]];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex JsonNumber();
}

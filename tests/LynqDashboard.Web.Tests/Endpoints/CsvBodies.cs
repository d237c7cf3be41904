using System.Globalization;
using System.Text;
using CsCheck;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Web.Tests.Endpoints;

/// <summary>A generated CSV upload and what the generator knows about it.</summary>
/// <param name="Kind">How it was made.</param>
/// <param name="Bytes">The file as sent.</param>
/// <param name="Usable">True when the header is usable (200), false when the file must be refused (422), null when unknown.</param>
/// <param name="ValidRows">Data rows that must be scored (when <paramref name="Usable"/> is known).</param>
/// <param name="InvalidRows">Data rows that must be rejected.</param>
internal sealed record FuzzCsv(string Kind, byte[] Bytes, bool? Usable, int ValidRows, int InvalidRows)
{
    public override string ToString()
    {
        var text = Encoding.UTF8.GetString(Bytes);
        return $"{Kind} (usable: {Usable?.ToString() ?? "unknown"}, rows {ValidRows} valid / {InvalidRows} invalid): {(text.Length > 900 ? text[..900] + "…" : text)}";
    }
}

/// <summary>
/// CsCheck generators of application CSVs: random headers (order, case, quotes, extra, duplicate, blank and
/// missing columns), cells with numeric extremes, formula prefixes (= + - @ tab), quotes (escaped, unclosed,
/// stray), separators, unicode and control characters, BOM, CRLF and CR line ends, over-long lines, truncation,
/// bytes that are not UTF-8 and random binary. Each file carries how many of its rows must be scored.
/// </summary>
internal static class CsvBodies
{
    private static readonly string[] Extras = ["note", "Score", "x y", "=cmd", "id", "\U0001F680", "true_pd", "NOTE"];

    private static readonly string[] PlainNumbers = ["-1", "-0", "+5", "1e39", "1e-300", "1e300", "0.01", "36501", "3.5", "1e400", "5e-324", "1E9", "100", "101"];

    private static readonly string[] NotNumbers =
    [
        "=1+1", "@SUM(A1)", "\t5", "-", "+", "abc", "NaN", "Infinity", "\"1,5\"", "", "  ", "1 000", "\uFF10", "\u200F5", "1e", "0x10", "--1",
        "\"=1\"", "\"\"", "5;6", "\u0000", "\uFFFD",
    ];

    private static readonly string[] BadQuotes = ["1\"2", "\"12", "\"1\"x", "\"", "a\"\"b"];

    /// <summary>A body for POST /api/ml/credit-score/batch.csv.</summary>
    public static Gen<FuzzCsv> File { get; } = Gen.Select(Header(), Gen.Int[0, int.MaxValue], Gen.Int[0, 24], (header, seed, mutation) => Build(header, new Random(seed), mutation));

    private static Gen<(List<string> Names, bool Usable)> Header() =>
        Gen.Select(Gen.Bool.Array[LoanFeatures.Supplied.Count + 1], Gen.OneOf(Extras).Array[0, 2], Gen.Int[0, 16], Gen.Int[0, int.MaxValue], (optional, extras, mutation, seed) =>
        {
            var random = new Random(seed);
            var names = new List<string>(ApplicationCsv.RequiredColumns);
            names.AddRange(ApplicationCsv.OptionalColumns.Where((_, i) => optional[i]));
            names.AddRange(extras);
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(names));
            switch (mutation)
            {
                case 0:
                    names.Add(names[random.Next(names.Count)].ToUpperInvariant());
                    break;
                case 1:
                    names.Insert(random.Next(names.Count + 1), random.Next(2) == 0 ? string.Empty : "  ");
                    break;
                case 2:
                    names.Remove(ApplicationCsv.RequiredColumns[random.Next(ApplicationCsv.RequiredColumns.Count)]);
                    break;
                case 3:
                    names = [.. names.Select(n => random.Next(2) == 0 ? n.ToUpperInvariant() : $" {n} ")];
                    break;
            }

            var trimmed = names.Select(n => n.Trim()).ToList();
            var usable = trimmed.All(n => n.Length > 0)
                         && trimmed.Distinct(StringComparer.OrdinalIgnoreCase).Count() == trimmed.Count
                         && ApplicationCsv.RequiredColumns.All(r => trimmed.Contains(r, StringComparer.OrdinalIgnoreCase));
            return (names, usable);
        });

    private static FuzzCsv Build((List<string> Names, bool Usable) header, Random random, int mutation)
    {
        var newline = new[] { "\n", "\r\n", "\r" }[random.Next(3)];
        var text = new StringBuilder();
        if (random.Next(5) == 0)
        {
            text.Append('\uFEFF');
        }

        text.Append(string.Join(',', header.Names.Select(n => random.Next(4) == 0 && n.Trim().Length > 0 ? $"\"{n}\"" : n))).Append(newline);
        var (valid, invalid) = (0, 0);
        var rows = mutation == 0 ? 0 : random.Next(0, 9);
        for (var r = 0; r < rows; r++)
        {
            if (random.Next(10) == 0)
            {
                text.Append(newline); // a blank line is not a row
            }

            var (line, ok) = Row(header.Names, random);
            text.Append(line).Append(newline);
            (valid, invalid) = ok ? (valid + 1, invalid) : (valid, invalid + 1);
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return mutation switch
        {
            1 => new FuzzCsv("csv-truncated", bytes[..random.Next(bytes.Length + 1)], null, 0, 0),
            2 => new FuzzCsv("csv-not-utf8", WithInvalidBytes(bytes, random.Next(bytes.Length + 1)), null, 0, 0),
            3 => new FuzzCsv("csv-binary", RandomBytes(random), null, 0, 0),
            4 => new FuzzCsv("csv-empty", random.Next(2) == 0 ? [] : Encoding.UTF8.GetBytes(newline + newline), false, 0, 0),
            5 => new FuzzCsv("csv-utf16", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text.ToString().TrimStart('\uFEFF'))], header.Usable, valid, invalid),
            _ => new FuzzCsv(rows == 0 ? "csv-header-only" : "csv", bytes, header.Usable, valid, invalid),
        };
    }

    private static (string Line, bool Valid) Row(List<string> names, Random random)
    {
        var cells = new List<string>();
        var valid = true;
        foreach (var name in names)
        {
            var (cell, ok) = Cell(name.Trim(), random);
            cells.Add(cell);
            valid &= ok;
        }

        switch (random.Next(30))
        {
            case 0 when cells.Count > 0:
                cells.RemoveAt(cells.Count - 1);
                valid = false;
                break;
            case 1:
                cells.Add("1");
                valid = false;
                break;
            case 2 when cells.Count > 0:
                cells[random.Next(cells.Count)] = BadQuotes[random.Next(BadQuotes.Length)];
                valid = false;
                break;
            case 3 when random.Next(10) == 0 && cells.Count > 0:
                cells[random.Next(cells.Count)] = new string('9', ApplicationCsv.MaxLineLength + random.Next(10_000));
                valid = false;
                break;
        }

        return (string.Join(',', cells), valid);
    }

    private static (string Cell, bool Valid) Cell(string column, Random random)
    {
        if (string.Equals(column, LoanApplicationJson.WalletAddressField, StringComparison.OrdinalIgnoreCase))
        {
            return Wallet(random);
        }

        var spec = LoanFeatures.Supplied.FirstOrDefault(f => string.Equals(f.Name, column, StringComparison.OrdinalIgnoreCase));
        if (spec is null)
        {
            // Other columns are never read: anything that keeps the layout is fine, a formula included.
            return (new[] { "hello", "=1+1", "\"a,b\"", string.Empty, "\u202E\U0001F680", "@x", "\"\"\"q\"\"\"" }[random.Next(7)], true);
        }

        var pick = random.Next(14);
        if (pick < 9)
        {
            var number = ValidNumber(spec, random);
            return (pick switch { 7 => $"\"{number}\"", 8 => $" {number} ", _ => number }, true);
        }

        if (pick < 12)
        {
            var plain = PlainNumbers[random.Next(PlainNumbers.Length)];
            var value = double.Parse(plain, NumberStyles.Float, CultureInfo.InvariantCulture);
            return (plain, double.IsFinite(value) && spec.Check(value) is null);
        }

        return (NotNumbers[random.Next(NotNumbers.Length)], false);
    }

    private static (string Cell, bool Valid) Wallet(Random random) => random.Next(16) switch
    {
        < 6 => ($"0x{random.NextInt64():x}", true),
        6 => ("0x\U0001F680\u200F", true),
        7 => ("\"0x,a\"", true),
        8 => (string.Empty, true),
        9 => ("\"\"", true),
        10 => (new string('a', LoanFeatures.MaxWalletAddressLength), true),
        _ => (new[] { "=cmd", "+1", "-a", "@a", "\"\t0x\"", "0x\0", new string('a', LoanFeatures.MaxWalletAddressLength + 1), "\uFFFD", "\" =x\"" }[random.Next(9)], false),
    };

    private static string ValidNumber(FeatureSpec spec, Random random)
    {
        var high = random.Next(4) == 0 ? spec.Maximum : Math.Min(spec.Maximum, 5_000);
        if (spec.IsInteger)
        {
            return random.NextInt64((long)spec.Minimum, (long)high + 1).ToString(CultureInfo.InvariantCulture);
        }

        var value = random.Next(10) == 0 ? spec.Minimum : spec.Minimum + (random.NextDouble() * (high - spec.Minimum));
        return Math.Clamp(value, spec.Minimum, spec.Maximum).ToString("R", CultureInfo.InvariantCulture);
    }

    private static byte[] WithInvalidBytes(byte[] bytes, int at) => [.. bytes[..at], 0xFF, 0xC0, .. bytes[at..]];

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 5_000)];
        random.NextBytes(bytes);
        return bytes;
    }
}

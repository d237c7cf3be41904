using System.Globalization;
using System.Text;
using Sylvan.Data.Csv;

namespace LynqDashboard.Core.Data;

/// <summary>Reads one CSV cell the same way for every reader, naming the line and column of a bad one.</summary>
internal static class CsvCells
{
    /// <summary>
    /// Characters that make a spreadsheet treat a cell as a formula when it starts with one (CSV injection):
    /// = + - @, tab and carriage return.
    /// </summary>
    public const string FormulaPrefixes = "=+-@\t\r";

    // A plain number: sign, digits, point, exponent. No surrounding whitespace but spaces (a tab is a formula prefix),
    // no thousands separators (a comma is the delimiter), no currency.
    private const NumberStyles PlainNumber = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Reads a numeric cell; on failure adds why to <paramref name="errors"/> and returns false.</summary>
    /// <param name="raw">The cell as read (quotes removed).</param>
    /// <param name="column">The column's name, for the message.</param>
    /// <param name="line">The cell's line, for the message.</param>
    /// <param name="errors">Where the problem goes.</param>
    /// <param name="value">The finite number read.</param>
    public static bool TryNumber(ReadOnlySpan<char> raw, string column, long line, List<DatasetError> errors, out double value)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var cell = raw.Trim(' ');
        if (cell.IsEmpty)
        {
            errors.Add(new DatasetError(line, column, "is empty"));
            value = 0;
            return false;
        }

        // "-1" and "+5" are numbers (and "-1" is then "must not be negative"); "=1+1" or "-" are not, and say why.
        if (!double.TryParse(cell, PlainNumber, CultureInfo.InvariantCulture, out value))
        {
            errors.Add(new DatasetError(line, column, FormulaPrefix(cell) is { } prefix
                ? $"'{Show(cell)}' starts with {Name(prefix)}, like a spreadsheet formula; a number is expected"
                : $"'{Show(cell)}' is not a number"));
            return false;
        }

        if (!double.IsFinite(value))
        {
            errors.Add(new DatasetError(line, column, $"must be a finite number (got {Show(cell)})"));
            return false;
        }

        return true;
    }

    /// <summary>The same for a cell of a Sylvan reader (the training files).</summary>
    internal static bool TryNumber(CsvDataReader csv, int ordinal, string column, long line, List<DatasetError> errors, out double value) =>
        TryNumber(csv.GetFieldSpan(ordinal), column, line, errors, out value);

    /// <summary>The formula prefix <paramref name="cell"/> starts with, or null.</summary>
    public static char? FormulaPrefix(ReadOnlySpan<char> cell) =>
        !cell.IsEmpty && FormulaPrefixes.Contains(cell[0], StringComparison.Ordinal) ? cell[0] : null;

    /// <summary>How a prefix character is named in a message: '=' or "a tab".</summary>
    public static string Name(char prefix) => prefix switch
    {
        '\t' => "a tab",
        '\r' => "a carriage return",
        _ => $"'{prefix}'",
    };

    /// <summary>A cell as a message quotes it: at most 40 characters, control characters written as escapes.</summary>
    public static string Show(ReadOnlySpan<char> cell)
    {
        var shown = cell.Length <= 40 ? cell : cell[..40];
        var text = new StringBuilder(shown.Length + 8);
        for (var i = 0; i < shown.Length; i++)
        {
            var c = shown[i];
            var paired = char.IsHighSurrogate(c) ? i + 1 < shown.Length && char.IsLowSurrogate(shown[i + 1]) : char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(shown[i - 1]);
            _ = c switch
            {
                '\t' => text.Append("\\t"),
                '\r' => text.Append("\\r"),
                '\n' => text.Append("\\n"),
                '\0' => text.Append("\\0"),
                _ when char.IsControl(c) || (char.IsSurrogate(c) && !paired) => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => text.Append(c),
            };
        }

        return cell.Length <= 40 ? text.ToString() : text.Append('…').ToString();
    }
}

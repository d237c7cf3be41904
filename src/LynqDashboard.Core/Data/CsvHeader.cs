using System.Globalization;

namespace LynqDashboard.Core.Data;

/// <summary>
/// The columns a CSV header names: the one header mapper of the training and the scoring readers. Names are
/// matched without regard to case or surrounding spaces. A blank or repeated name is refused (a reader could
/// not tell which column is meant), and so is a header that lacks a required column.
/// </summary>
public sealed class CsvHeader
{
    private readonly Dictionary<string, int> _byName;
    private readonly string[] _names;

    private CsvHeader(string[] names, Dictionary<string, int> byName)
    {
        _names = names;
        _byName = byName;
    }

    /// <summary>How many columns the header has.</summary>
    public int Count => _names.Length;

    /// <summary>
    /// Maps <paramref name="names"/> (the header line's cells, in order). Every problem is added to
    /// <paramref name="errors"/> on line <paramref name="line"/>; the header is usable only if none was added.
    /// </summary>
    /// <param name="names">The header cells as read.</param>
    /// <param name="required">Columns that must be present.</param>
    /// <param name="errors">Where problems go.</param>
    /// <param name="line">The header's line in the file (default 1).</param>
    public static CsvHeader Map(IReadOnlyList<string> names, IEnumerable<string> required, List<DatasetError> errors, long line = 1)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(required);
        ArgumentNullException.ThrowIfNull(errors);
        var trimmed = new string[names.Count];
        var byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            var name = trimmed[i] = names[i].Trim();
            if (name.Length == 0)
            {
                errors.Add(new DatasetError(line, Position(i), "the header name is blank; every column needs a name"));
            }
            else if (!byName.TryAdd(name, i))
            {
                errors.Add(new DatasetError(line, CsvCells.Show(name), $"the column appears twice in the header (columns {byName[name] + 1} and {i + 1})"));
            }
        }

        var missing = required.Where(name => !byName.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            var list = string.Join(", ", missing);
            errors.Add(new DatasetError(line, list, $"missing column(s): {list}"));
        }

        return new CsvHeader(trimmed, byName);
    }

    /// <summary>The ordinal of the column called <paramref name="name"/>, or -1 when the header does not name it.</summary>
    public int IndexOf(string name) => _byName.TryGetValue(name, out var index) ? index : -1;

    /// <summary>How a message names the column at <paramref name="ordinal"/>: its header name, or its 1-based position.</summary>
    public string NameAt(int ordinal) =>
        ordinal >= 0 && ordinal < _names.Length && _names[ordinal].Length > 0 ? CsvCells.Show(_names[ordinal]) : Position(ordinal);

    /// <summary>A 1-based column position as messages show it.</summary>
    public static string Position(int ordinal) => (ordinal + 1).ToString(CultureInfo.InvariantCulture);
}

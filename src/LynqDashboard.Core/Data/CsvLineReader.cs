using System.Globalization;
using System.Text;

namespace LynqDashboard.Core.Data;

/// <summary>What is wrong with one line's layout: the 0-based cell it was found in, and why.</summary>
public sealed record CsvLineProblem(int Cell, string Message);

/// <summary>
/// Splits a CSV that a person uploads into lines and cells, so that one bad line spoils only itself:
/// one physical line is one record (a quoted cell may hold commas and doubled quotes, not a line break);
/// LF, CRLF and a lone CR all end a line; a UTF-8 byte order mark is skipped; blank lines are skipped; a line
/// longer than the cap is reported and passed over without being held in memory; a malformed quote is
/// reported with its position. Training files use Sylvan instead, which is faster but stops at the first
/// malformed record and counts records, not lines.
/// </summary>
/// <param name="text">The file's text.</param>
/// <param name="maxLineLength">Longest line read, in characters.</param>
public sealed class CsvLineReader(TextReader text, int maxLineLength)
{
    private readonly char[] _block = new char[8192];
    private readonly StringBuilder _line = new();
    private int _position;
    private int _length;
    private bool _started;
    private bool _skipLineFeed;

    /// <summary>The 1-based line number of the line last read.</summary>
    public long LineNumber { get; private set; }

    /// <summary>
    /// Reads the next line that is not blank into <paramref name="cells"/>. Returns false at the end of the text.
    /// When the line cannot be split, <paramref name="problem"/> says why and <paramref name="cells"/> is empty.
    /// </summary>
    public bool Read(List<string> cells, out CsvLineProblem? problem)
    {
        ArgumentNullException.ThrowIfNull(cells);
        cells.Clear();
        problem = null;
        while (ReadPhysicalLine(out var tooLong))
        {
            LineNumber++;
            if (tooLong)
            {
                problem = new CsvLineProblem(0, $"the line is longer than {maxLineLength.ToString("N0", CultureInfo.InvariantCulture)} characters; it was not read");
                return true;
            }

            if (_line.Length == 0)
            {
                continue;
            }

            problem = Split(_line.ToString(), cells);
            if (problem is not null)
            {
                cells.Clear();
            }

            return true;
        }

        return false;
    }

    private static CsvLineProblem? Split(string line, List<string> cells)
    {
        var i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == '"')
            {
                var opened = i;
                var cell = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return new CsvLineProblem(cells.Count, $"the quote opened at character {opened + 1} is not closed on this line");
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            cell.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    cell.Append(line[i++]);
                }

                if (i < line.Length && line[i] != ',')
                {
                    return new CsvLineProblem(cells.Count, $"the closing quote at character {i} must be followed by a comma or the end of the line");
                }

                cells.Add(cell.ToString());
            }
            else
            {
                var comma = line.IndexOf(',', i);
                var end = comma < 0 ? line.Length : comma;
                var quote = line.IndexOf('"', i, end - i);
                if (quote >= 0)
                {
                    return new CsvLineProblem(cells.Count, $"a quote at character {quote + 1} is inside an unquoted cell; quote the whole cell and double the quotes in it");
                }

                cells.Add(line[i..end]);
                i = end;
            }

            if (i >= line.Length)
            {
                return null;
            }

            i++; // the comma
            if (i == line.Length)
            {
                cells.Add(string.Empty);
                return null;
            }
        }
    }

    // One physical line into _line (without its end); false at the end of the text. A line over the cap is consumed
    // to its end but not kept.
    private bool ReadPhysicalLine(out bool tooLong)
    {
        _line.Clear();
        tooLong = false;
        var any = false;
        while (true)
        {
            if (_position == _length)
            {
                _length = text.Read(_block, 0, _block.Length);
                _position = 0;
                if (_length == 0)
                {
                    return any;
                }
            }

            if (!_started)
            {
                _started = true;
                if (_block[_position] == '\uFEFF')
                {
                    _position++;
                    continue;
                }
            }

            if (_skipLineFeed)
            {
                _skipLineFeed = false;
                if (_block[_position] == '\n')
                {
                    _position++;
                    continue;
                }
            }

            any = true;
            var rest = _block.AsSpan(_position, _length - _position);
            var end = rest.IndexOfAny('\r', '\n');
            var take = end < 0 ? rest.Length : end;
            if (!tooLong)
            {
                if (_line.Length + take > maxLineLength)
                {
                    tooLong = true;
                    _line.Clear();
                }
                else
                {
                    _line.Append(rest[..take]);
                }
            }

            _position += take;
            if (end >= 0)
            {
                _skipLineFeed = _block[_position++] == '\r';
                return true;
            }
        }
    }
}

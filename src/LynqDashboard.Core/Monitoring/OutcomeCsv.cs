using System.Globalization;
using LynqDashboard.Core.Data;

namespace LynqDashboard.Core.Monitoring;

/// <summary>One data line of an outcomes file: what it asks to store, or why it cannot be read.</summary>
/// <param name="Line">Its 1-based line in the file.</param>
/// <param name="RequestId">The request_id cell as sent (empty when the line could not be split).</param>
/// <param name="Outcome">The outcome; null when <paramref name="Problem"/> says why not.</param>
/// <param name="Problem">"line 4, column observed_at: …"; null for a readable line.</param>
public sealed record OutcomeCsvRow(long Line, string RequestId, OutcomeSubmission? Outcome, string? Problem);

/// <summary>An outcomes file as read: usable when the header is (then every data line is a row, readable or not).</summary>
public sealed record OutcomeCsvUpload(IReadOnlyList<DatasetError> HeaderErrors, IReadOnlyList<OutcomeCsvRow> Rows)
{
    public bool Usable => HeaderErrors.Count == 0;
}

/// <summary>
/// Reads a CSV of outcomes with the header request_id,defaulted,observed_at (any order; other columns ignored):
/// defaulted is true/false/1/0, observed_at an ISO 8601 time with an offset or Z. One bad line spoils only itself.
/// </summary>
public static class OutcomeCsv
{
    public const string RequestIdColumn = "request_id";
    public const string DefaultedColumn = "defaulted";
    public const string ObservedAtColumn = "observed_at";

    /// <summary>Most data lines read from one file (the JSON endpoint's item limit).</summary>
    public const int MaxRows = 10_000;

    private const int MaxLineLength = 4_096;

    public static OutcomeCsvUpload Read(TextReader text, int maxRows = MaxRows)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new CsvLineReader(text, MaxLineLength);
        var cells = new List<string>();
        var headerErrors = new List<DatasetError>();
        if (!reader.Read(cells, out var headerProblem))
        {
            return new OutcomeCsvUpload([new DatasetError(1, null, $"the file is empty; the first line must be the header {RequestIdColumn},{DefaultedColumn},{ObservedAtColumn}")], []);
        }

        if (headerProblem is not null)
        {
            return new OutcomeCsvUpload([new DatasetError(reader.LineNumber, CsvHeader.Position(headerProblem.Cell), headerProblem.Message)], []);
        }

        var header = CsvHeader.Map(cells, [RequestIdColumn, DefaultedColumn, ObservedAtColumn], headerErrors, reader.LineNumber);
        if (headerErrors.Count > 0)
        {
            return new OutcomeCsvUpload(headerErrors, []);
        }

        var (id, defaulted, observed) = (header.IndexOf(RequestIdColumn), header.IndexOf(DefaultedColumn), header.IndexOf(ObservedAtColumn));
        var rows = new List<OutcomeCsvRow>();
        while (reader.Read(cells, out var problem))
        {
            var line = reader.LineNumber;
            if (rows.Count == maxRows)
            {
                return new OutcomeCsvUpload([new DatasetError(line, null, $"the file has more than {maxRows:N0} data lines; send at most {maxRows:N0} per file")], []);
            }

            rows.Add(problem is not null
                ? new OutcomeCsvRow(line, string.Empty, null, $"line {line}, column {header.NameAt(problem.Cell)}: {problem.Message}")
                : ReadRow(line, cells, id, defaulted, observed));
        }

        return new OutcomeCsvUpload([], rows);
    }

    /// <summary>true/false/1/0, as both the CSV and a person would write it.</summary>
    public static bool TryParseDefaulted(string text, out bool defaulted)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "1":
                defaulted = true;
                return true;
            case "false" or "0":
                defaulted = false;
                return true;
            default:
                defaulted = false;
                return false;
        }
    }

    private static OutcomeCsvRow ReadRow(long line, List<string> cells, int id, int defaulted, int observed)
    {
        string Cell(int ordinal) => ordinal < cells.Count ? cells[ordinal].Trim() : string.Empty;
        var requestId = Cell(id);
        if (requestId.Length == 0)
        {
            return new OutcomeCsvRow(line, requestId, null, $"line {line}, column {RequestIdColumn}: the request id is empty");
        }

        if (!TryParseDefaulted(Cell(defaulted), out var didDefault))
        {
            return new OutcomeCsvRow(line, requestId, null, $"line {line}, column {DefaultedColumn}: '{CsvCells.Show(Cell(defaulted))}' is not true, false, 1 or 0");
        }

        if (!TryParseTime(Cell(observed), out var at))
        {
            return new OutcomeCsvRow(line, requestId, null, $"line {line}, column {ObservedAtColumn}: '{CsvCells.Show(Cell(observed))}' is not a time such as 2026-12-01T00:00:00Z");
        }

        return new OutcomeCsvRow(line, requestId, new OutcomeSubmission(requestId, didDefault, at), null);
    }

    /// <summary>An ISO 8601 time that says its offset (Z or ±hh:mm): a time without one would be read in this server's zone.</summary>
    public static bool TryParseTime(string text, out DateTimeOffset at)
    {
        at = default;
        var trimmed = text.Trim();
        var hasOffset = trimmed.EndsWith('Z') || trimmed.EndsWith('z') || (trimmed.Length > 6 && trimmed[^6] is '+' or '-' && trimmed[^3] == ':');
        return hasOffset && trimmed.Contains('T', StringComparison.OrdinalIgnoreCase)
            && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);
    }
}

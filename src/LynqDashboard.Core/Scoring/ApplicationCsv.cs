using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Scoring;

/// <summary>An application read from an uploaded CSV, with the file line it came from.</summary>
/// <param name="Line">The 1-based line of the file.</param>
/// <param name="Application">What the line asks for.</param>
/// <param name="Cells">The line's cells as they came (unquoted, not trimmed), one per header column.</param>
public sealed record ApplicationRow(long Line, LoanApplication Application, IReadOnlyList<string> Cells);

/// <summary>A data line that could not be scored.</summary>
/// <param name="Line">The 1-based line of the file.</param>
/// <param name="Cells">
/// The line's cells as they came, one per header column: padded with empty cells when the line has fewer, cut when
/// it has more, all empty when the line could not be split (an unclosed quote, a line over the length cap).
/// </param>
/// <param name="Problems">Every problem in one sentence, naming the line and the field: "line 7: loan_amount must be at least 0.01 (got 0)".</param>
public sealed record RejectedRow(long Line, IReadOnlyList<string> Cells, string Problems);

/// <summary>What an upload held.</summary>
/// <param name="Header">The header row's cells as they came (names not trimmed); empty when the file is unusable.</param>
/// <param name="Rows">The good rows, to score, in line order.</param>
/// <param name="Rejected">Every data line that could not be scored, in line order.</param>
/// <param name="Errors">The first <see cref="ApplicationCsv.MaxListedErrors"/> problems, by line and column.</param>
/// <param name="UnlistedErrors">How many more problems were found than <paramref name="Errors"/> lists.</param>
/// <param name="TruncatedAtLine">The first line not read because the row limit was reached; null when every line was read.</param>
/// <param name="Usable">False when the file as a whole cannot be read (no header, a missing, blank or repeated column): nothing was scored.</param>
public sealed record ApplicationUpload(
    IReadOnlyList<string> Header,
    IReadOnlyList<ApplicationRow> Rows,
    IReadOnlyList<RejectedRow> Rejected,
    IReadOnlyList<DatasetError> Errors,
    int UnlistedErrors,
    long? TruncatedAtLine,
    bool Usable)
{
    /// <summary>True when the row limit stopped the reading.</summary>
    public bool Truncated => TruncatedAtLine is not null;

    /// <summary>Every problem found, listed or not.</summary>
    public int ErrorCount => Errors.Count + UnlistedErrors;
}

/// <summary>
/// Batch scoring files, from the Score page and from <c>POST /api/ml/credit-score/batch.csv</c>. Unlike training
/// data, a bad row does not reject the file: it is reported by line and column and the good rows are still
/// scored; only a file whose header is unusable is refused as a whole. Columns: the 11 supplied fields (the four
/// history fields optional, with the contract's defaults) and wallet_address (optional); other columns (an id, a
/// note) are not read, only kept with the row so that <see cref="ScoredCsv"/> can give every cell back. Layout rules are those of <see cref="CsvLineReader"/> (one line,
/// one record; at most <see cref="MaxLineLength"/> characters a line).
/// Formula prefixes (= + - @ tab CR, see <see cref="CsvCells.FormulaPrefixes"/>): in a numeric column a cell
/// must be a plain number, so "=1+1" is a bad number while "-1" is a negative one; a wallet_address that starts
/// with one is refused (not rewritten), because a caller's id silently changed would no longer match its records.
/// </summary>
public static class ApplicationCsv
{
    /// <summary>Largest file accepted, in bytes (10 MB), by the page and the HTTP endpoint.</summary>
    public const long MaxFileBytes = 10 << 20;

    /// <summary>Most data rows read from one file.</summary>
    public const int DefaultMaxRows = 100_000;

    /// <summary>Longest line read (64 KiB of characters); a real row is under 200.</summary>
    public const int MaxLineLength = 64 * 1024;

    /// <summary>How many problems an upload lists; the rest are counted.</summary>
    public const int MaxListedErrors = 100;

    /// <summary>The columns a file may have, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> Columns { get; } = [LoanApplicationJson.WalletAddressField, .. LoanFeatures.Supplied.Select(f => f.Name)];

    /// <summary>The columns a file must have.</summary>
    public static IReadOnlyList<string> RequiredColumns { get; } = [.. LoanFeatures.Supplied.Where(f => !f.IsOptional).Select(f => f.Name)];

    /// <summary>The columns a file may leave out (the optional features take their defaults).</summary>
    public static IReadOnlyList<string> OptionalColumns { get; } = [LoanApplicationJson.WalletAddressField, .. LoanFeatures.Supplied.Where(f => f.IsOptional).Select(f => f.Name)];

    /// <summary>Reads an upload; never throws for any content (only for cancellation or a failing <paramref name="text"/>).</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="maxRows">Most data rows read; reading stops there and the upload says where.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public static ApplicationUpload Read(TextReader text, int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new CsvLineReader(text, MaxLineLength);
        var cells = new List<string>();
        if (!lines.Read(cells, out var headerProblem))
        {
            return Unusable([new DatasetError(1, "1", "the file is empty; expected a header row naming the columns")]);
        }

        if (headerProblem is not null)
        {
            return Unusable([new DatasetError(lines.LineNumber, CsvHeader.Position(headerProblem.Cell), $"the header row cannot be read: {headerProblem.Message}")]);
        }

        var headerErrors = new List<DatasetError>();
        var header = CsvHeader.Map(cells, RequiredColumns, headerErrors, lines.LineNumber);
        string[] headerCells = [.. cells];
        if (headerErrors.Count > 0)
        {
            return Unusable(headerErrors);
        }

        var report = new ErrorReport();
        var rows = new List<ApplicationRow>();
        var rejected = new List<RejectedRow>();
        var rowErrors = new List<DatasetError>();
        long? truncatedAt = null;
        while (lines.Read(cells, out var problem))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = lines.LineNumber;
            if (rows.Count + rejected.Count >= maxRows)
            {
                truncatedAt = line;
                break;
            }

            rowErrors.Clear();
            var application = problem is not null
                ? Refuse(rowErrors, new DatasetError(line, header.NameAt(problem.Cell), problem.Message))
                : cells.Count != header.Count
                    ? Refuse(rowErrors, new DatasetError(line, null, $"has {cells.Count} cell(s), the header has {header.Count}"))
                    : ReadRow(cells, header, line, rowErrors);
            if (application is not null)
            {
                rows.Add(new ApplicationRow(line, application, [.. cells]));
                continue;
            }

            report.AddRange(rowErrors);
            rejected.Add(new RejectedRow(line, Fit(cells, header.Count), $"line {line}: {string.Join("; ", rowErrors.Select(Describe))}"));
        }

        return new ApplicationUpload(headerCells, rows, rejected, report.Listed, report.Unlisted, truncatedAt, Usable: true);
    }

    private static LoanApplication? ReadRow(List<string> cells, CsvHeader header, long line, List<DatasetError> errors)
    {
        var values = new double[LoanFeatures.Supplied.Count];
        foreach (var spec in LoanFeatures.Supplied)
        {
            var ordinal = header.IndexOf(spec.Name);
            if (ordinal < 0)
            {
                values[spec.Index] = spec.Default!.Value;
                continue;
            }

            if (!CsvCells.TryNumber(cells[ordinal], spec.Name, line, errors, out var value))
            {
                continue;
            }

            if (spec.Check(value) is { } problem)
            {
                errors.Add(new DatasetError(line, spec.Name, $"{problem} (got {CsvCells.Show(cells[ordinal].Trim(' '))})"));
                continue;
            }

            values[spec.Index] = value;
        }

        var walletColumn = header.IndexOf(LoanApplicationJson.WalletAddressField);
        var wallet = walletColumn < 0 ? string.Empty : cells[walletColumn].Trim(' ');
        if (wallet.Length > 0 && CheckWallet(wallet) is { } walletProblem)
        {
            errors.Add(new DatasetError(line, LoanApplicationJson.WalletAddressField, walletProblem));
        }

        return errors.Count > 0 ? null : LoanApplication.From(wallet, spec => values[spec.Index]);
    }

    private static string? CheckWallet(string wallet) => CsvCells.FormulaPrefix(wallet) is { } prefix
        ? $"'{CsvCells.Show(wallet)}' starts with {CsvCells.Name(prefix)}, which a spreadsheet would run as a formula; remove it"
        : LoanApplicationJson.CheckWalletAddress(wallet);

    // The row's cells lined up with the header, so every output row has as many input cells as the header names.
    private static string[] Fit(List<string> cells, int count) =>
        [.. cells.Take(count), .. Enumerable.Repeat(string.Empty, Math.Max(0, count - cells.Count))];

    // A rule reads as a sentence after its field ("loan_amount must be at least 0.01 (got 0)", "term_months is empty");
    // anything else follows a colon ("loan_amount: the quote … is not closed", "column 3: …"); a line's own problem stands alone.
    private static string Describe(DatasetError error) => error.Column switch
    {
        null => error.Message,
        var column when column.All(char.IsAsciiDigit) => $"column {column}: {error.Message}",
        var column when error.Message.StartsWith("must ", StringComparison.Ordinal) || error.Message.StartsWith("is ", StringComparison.Ordinal) => $"{column} {error.Message}",
        var column => $"{column}: {error.Message}",
    };

    private static LoanApplication? Refuse(List<DatasetError> errors, DatasetError error)
    {
        errors.Add(error);
        return null;
    }

    private static ApplicationUpload Unusable(IReadOnlyList<DatasetError> errors) =>
        new([], [], [], [.. errors.Take(MaxListedErrors)], Math.Max(0, errors.Count - MaxListedErrors), null, Usable: false);

    /// <summary>The first problems, listed; the rest, counted.</summary>
    private sealed class ErrorReport
    {
        private readonly List<DatasetError> _listed = [];

        public IReadOnlyList<DatasetError> Listed => _listed;

        public int Unlisted { get; private set; }

        public void AddRange(IEnumerable<DatasetError> errors)
        {
            foreach (var error in errors)
            {
                if (_listed.Count < MaxListedErrors)
                {
                    _listed.Add(error);
                }
                else
                {
                    Unlisted++;
                }
            }
        }
    }
}

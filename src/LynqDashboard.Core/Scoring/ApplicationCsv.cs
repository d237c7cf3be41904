using System.Globalization;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Scoring;

/// <summary>An application read from an uploaded CSV, with the file line it came from.</summary>
public sealed record ApplicationRow(long Line, LoanApplication Application);

/// <summary>A data line that could not be scored: its line, its wallet address when that was readable, and every problem in one sentence.</summary>
public sealed record RejectedRow(long Line, string? WalletAddress, string Problems);

/// <summary>What an upload held.</summary>
/// <param name="Rows">The good rows, to score, in line order.</param>
/// <param name="Rejected">Every data line that could not be scored, in line order.</param>
/// <param name="Errors">The first <see cref="ApplicationCsv.MaxListedErrors"/> problems, by line and column.</param>
/// <param name="UnlistedErrors">How many more problems were found than <paramref name="Errors"/> lists.</param>
/// <param name="TruncatedAtLine">The first line not read because the row limit was reached; null when every line was read.</param>
/// <param name="Usable">False when the file as a whole cannot be read (no header, a missing, blank or repeated column): nothing was scored.</param>
public sealed record ApplicationUpload(
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
/// history fields optional, with the contract's defaults) and wallet_address (optional); other columns are
/// ignored, never read and never written back. Layout rules are those of <see cref="CsvLineReader"/> (one line,
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
                rows.Add(new ApplicationRow(line, application));
                continue;
            }

            report.AddRange(rowErrors);
            rejected.Add(new RejectedRow(line, ReadableWallet(cells, header), string.Join("; ", rowErrors.Select(e => e.Column is null ? e.Message : $"{e.Column}: {e.Message}"))));
        }

        return new ApplicationUpload(rows, rejected, report.Listed, report.Unlisted, truncatedAt, Usable: true);
    }

    /// <summary>The scored rows as CSV: the source line, the wallet and the decision fields.</summary>
    /// <param name="writer">Where the CSV goes.</param>
    /// <param name="scored">The scored rows, in line order.</param>
    /// <param name="rejected">
    /// When given, the rows that could not be scored are written too, in line order with empty result cells, and a
    /// last column, error, says why (empty for scored rows): one output row for every data line.
    /// </param>
    public static void WriteScored(TextWriter writer, IEnumerable<(ApplicationRow Row, CreditScoreResult Result)> scored, IReadOnlyList<RejectedRow>? rejected = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(scored);
        writer.Write("line,wallet_address,default_probability,credit_score,risk_level,recommended_action,interest_rate_suggestion,max_loan_amount,decision_reason,policy_version,model_version,is_fallback");
        writer.Write(rejected is null ? "\n" : ",error\n");
        var next = 0;
        foreach (var (row, r) in scored)
        {
            for (; rejected is not null && next < rejected.Count && rejected[next].Line < row.Line; next++)
            {
                WriteRejected(writer, rejected[next]);
            }

            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{row.Line},{Quote(row.Application.WalletAddress)},{r.DefaultProbability:0.######},{r.CreditScore},{r.RiskLevel},{r.RecommendedAction},{r.InterestRateSuggestion},{r.MaxLoanAmount:0.00},{Quote(r.DecisionReason)},{r.PolicyVersion},{Quote(r.ModelVersion)},{(r.IsFallback ? "true" : "false")}"));
            writer.Write(rejected is null ? "\n" : ",\n");
        }

        for (; rejected is not null && next < rejected.Count; next++)
        {
            WriteRejected(writer, rejected[next]);
        }
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

    private static string? ReadableWallet(List<string> cells, CsvHeader header)
    {
        var column = header.IndexOf(LoanApplicationJson.WalletAddressField);
        var wallet = column >= 0 && column < cells.Count ? cells[column].Trim(' ') : string.Empty;
        return wallet.Length > 0 && CheckWallet(wallet) is null ? wallet : null;
    }

    private static LoanApplication? Refuse(List<DatasetError> errors, DatasetError error)
    {
        errors.Add(error);
        return null;
    }

    private static ApplicationUpload Unusable(IReadOnlyList<DatasetError> errors) =>
        new([], [], [.. errors.Take(MaxListedErrors)], Math.Max(0, errors.Count - MaxListedErrors), null, Usable: false);

    private static void WriteRejected(TextWriter writer, RejectedRow row) =>
        writer.Write(string.Create(CultureInfo.InvariantCulture, $"{row.Line},{Quote(row.WalletAddress)},,,,,,,,,,,{Quote(row.Problems)}\n"));

    // User text goes back out quoted, so a comma or a formula prefix cannot break the CSV or run in a spreadsheet.
    private static string Quote(string? value)
    {
        var text = value ?? string.Empty;
        if (CsvCells.FormulaPrefix(text) is not null)
        {
            text = "'" + text;
        }

        return $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    }

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

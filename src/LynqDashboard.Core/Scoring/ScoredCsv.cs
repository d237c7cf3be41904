using System.Globalization;
using System.Text.Json;
using LynqDashboard.Core.Data;

namespace LynqDashboard.Core.Scoring;

/// <summary>One row of a scored file: the caller's cells as they came, then the answer or why there is none.</summary>
/// <param name="Line">The input line it answers.</param>
/// <param name="Input">The caller's cells, one per header column.</param>
/// <param name="Result">The answer; null when the row could not be scored.</param>
/// <param name="Error">Why the row could not be scored ("line 7: loan_amount must be …"); null when it was scored.</param>
public sealed record ScoredRow(long Line, IReadOnlyList<string> Input, CreditScoreResult? Result, string? Error);

/// <summary>
/// The one writer of a scored CSV, for <c>POST /api/ml/credit-score/batch.csv</c> and the Score page's download: every
/// output row is the caller's input cells as they came (wallet_address, an id, any other column, in the file's order),
/// then the answer's fields (<see cref="AnswerColumns"/>) and an error column. A row that could not be scored keeps its
/// cells, leaves the answer empty and says why, so the file goes back with exactly as many data rows as came in.
/// Cells are quoted per RFC 4180 when they hold a comma, a quote or a line break. A cell a spreadsheet would run as a
/// formula (it starts with = + - @, a tab or a carriage return and is not a plain number such as -1) is written with a
/// leading apostrophe, the usual defence against CSV injection: the text is the caller's, the formula is not run.
/// </summary>
public static class ScoredCsv
{
    /// <summary>The error column's name.</summary>
    public const string ErrorColumn = "error";

    /// <summary>Between the codes of the reason_codes cell ("R11;R09"); the sentences are the catalogue's, named by the answer's version.</summary>
    public const string ReasonSeparator = ";";

    // The same names as the JSON answer (snake_case of the contract's properties).
    private static readonly JsonNamingPolicy Naming = JsonNamingPolicy.SnakeCaseLower;

    /// <summary>The columns written after the caller's: the answer's fields, then <see cref="ErrorColumn"/>.</summary>
    public static IReadOnlyList<string> AnswerColumns { get; } =
    [
        .. new[]
        {
            nameof(CreditScoreResult.DefaultProbability), nameof(CreditScoreResult.CreditScore), nameof(CreditScoreResult.RiskLevel),
            nameof(CreditScoreResult.RecommendedAction), nameof(CreditScoreResult.MaxLoanAmount), nameof(CreditScoreResult.InterestRateSuggestion),
            nameof(CreditScoreResult.FraudScore), nameof(CreditScoreResult.DecisionReason), nameof(CreditScoreResult.ReasonCodes), nameof(CreditScoreResult.PolicyVersion),
            nameof(CreditScoreResult.ModelVersion), nameof(CreditScoreResult.Warnings),
        }.Select(Naming.ConvertName),
        ErrorColumn,
    ];

    /// <summary>The output header: the upload's header cells as they came, then <see cref="AnswerColumns"/>.</summary>
    public static IReadOnlyList<string> Columns(ApplicationUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return [.. upload.Header, .. AnswerColumns];
    }

    /// <summary>Every data row of the upload in line order, scored or not.</summary>
    /// <param name="upload">A usable upload.</param>
    /// <param name="results">The answer for each of <see cref="ApplicationUpload.Rows"/>, in the same order.</param>
    public static IEnumerable<ScoredRow> Rows(ApplicationUpload upload, IReadOnlyList<CreditScoreResult> results)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count != upload.Rows.Count)
        {
            throw new ArgumentException($"{results.Count} result(s) for {upload.Rows.Count} scored row(s).", nameof(results));
        }

        return Merge(upload, results);
    }

    /// <summary>A row's cells as written (before quoting): the input, then one per <see cref="AnswerColumns"/>.</summary>
    public static IReadOnlyList<string> Cells(ScoredRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Result is not { } r)
        {
            return [.. row.Input, .. Enumerable.Repeat(string.Empty, AnswerColumns.Count - 1), row.Error ?? string.Empty];
        }

        return
        [
            .. row.Input,
            r.DefaultProbability.ToString("0.######", CultureInfo.InvariantCulture),
            r.CreditScore.ToString(CultureInfo.InvariantCulture),
            r.RiskLevel.ToString(),
            r.RecommendedAction.ToString(),
            r.MaxLoanAmount.ToString("0.00", CultureInfo.InvariantCulture),
            r.InterestRateSuggestion.ToString("0.####", CultureInfo.InvariantCulture),
            r.FraudScore.ToString("0.####", CultureInfo.InvariantCulture),
            r.DecisionReason,
            string.Join(ReasonSeparator, r.ReasonCodes.Select(c => c.Code)),
            r.PolicyVersion.ToString(CultureInfo.InvariantCulture),
            r.ModelVersion,
            string.Join("; ", r.Warnings.Select(w => w.Message)),
            string.Empty,
        ];
    }

    /// <summary>Writes the header and every row of <see cref="Rows"/>, each line ended by LF.</summary>
    public static void Write(TextWriter writer, ApplicationUpload upload, IReadOnlyList<CreditScoreResult> results)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var rows = Rows(upload, results);
        WriteLine(writer, Columns(upload));
        foreach (var row in rows)
        {
            WriteLine(writer, Cells(row));
        }
    }

    /// <summary>One cell as a CSV holds it: an apostrophe before a formula, quotes around a comma, quote or line break.</summary>
    public static string Escape(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var text = IsFormula(cell) ? "'" + cell : cell;
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }

    private static IEnumerable<ScoredRow> Merge(ApplicationUpload upload, IReadOnlyList<CreditScoreResult> results)
    {
        var (scored, rejected) = (0, 0);
        while (scored < upload.Rows.Count || rejected < upload.Rejected.Count)
        {
            if (rejected < upload.Rejected.Count && (scored == upload.Rows.Count || upload.Rejected[rejected].Line < upload.Rows[scored].Line))
            {
                var bad = upload.Rejected[rejected++];
                yield return new ScoredRow(bad.Line, bad.Cells, null, bad.Problems);
            }
            else
            {
                var good = upload.Rows[scored];
                yield return new ScoredRow(good.Line, good.Cells, results[scored++], null);
            }
        }
    }

    private static void WriteLine(TextWriter writer, IReadOnlyList<string> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            writer.Write(Escape(cells[i]));
        }

        writer.Write('\n');
    }

    // A leading space does not stop a spreadsheet from reading a formula; a plain number ("-1", "+5") is no formula.
    private static bool IsFormula(string cell)
    {
        var start = cell.AsSpan().TrimStart(' ');
        return CsvCells.FormulaPrefix(start) is not null
               && !double.TryParse(start.TrimEnd(' '), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out _);
    }
}

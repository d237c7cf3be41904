using System.Globalization;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using Sylvan.Data.Csv;

namespace LynqDashboard.Core.Scoring;

/// <summary>An application read from an uploaded CSV, with the file line it came from.</summary>
public sealed record ApplicationRow(long Line, LoanApplication Application);

/// <summary>What an upload held: the good rows to score and every bad row by line and column.</summary>
public sealed record ApplicationUpload(IReadOnlyList<ApplicationRow> Rows, IReadOnlyList<DatasetError> Errors, bool Truncated);

/// <summary>
/// Batch scoring files. Unlike training data, a bad row does not reject the file: it is reported by line and
/// the good rows are still scored. Columns: the 11 supplied fields (the four history fields optional, with the
/// contract's defaults), wallet_address optional; other columns are ignored.
/// </summary>
public static class ApplicationCsv
{
    public static ApplicationUpload Read(TextReader text, int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new List<DatasetError>();
        CsvDataReader csv;
        try
        {
            csv = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true });
        }
        catch (CsvMissingHeadersException)
        {
            return new ApplicationUpload([], [new DatasetError(1, null, "the file is empty; expected a header row naming the columns")], false);
        }

        using (csv)
        {
            var columns = Enumerable.Range(0, csv.FieldCount).ToDictionary(i => csv.GetName(i).Trim(), i => i, StringComparer.OrdinalIgnoreCase);
            var missing = LoanFeatures.Supplied.Where(f => !columns.ContainsKey(f.Name) && !f.IsOptional).Select(f => f.Name).ToList();
            if (missing.Count > 0)
            {
                return new ApplicationUpload([], [new DatasetError(1, null, $"missing column(s): {string.Join(", ", missing)}")], false);
            }

            var walletColumn = columns.TryGetValue("wallet_address", out var w) ? w : -1;
            var rows = new List<ApplicationRow>();
            var badRows = 0;
            long line = 1;
            while (csv.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                line++;
                if (rows.Count + badRows >= maxRows)
                {
                    return new ApplicationUpload(rows, errors, Truncated: true);
                }

                var before = errors.Count;
                var application = new LoanApplication { WalletAddress = walletColumn >= 0 ? csv.GetString(walletColumn) : $"line {line}" };
                foreach (var spec in LoanFeatures.Supplied)
                {
                    double value;
                    if (!columns.TryGetValue(spec.Name, out var ordinal))
                    {
                        value = spec.Default!.Value;
                    }
                    else if (!CsvCells.TryNumber(csv, ordinal, spec.Name, line, errors, out value))
                    {
                        continue;
                    }

                    if (spec.Check(value) is { } problem)
                    {
                        errors.Add(new DatasetError(line, spec.Name, $"{problem} (got {value.ToString(CultureInfo.InvariantCulture)})"));
                        continue;
                    }

                    application = application.With(spec, value);
                }

                if (errors.Count == before)
                {
                    rows.Add(new ApplicationRow(line, application));
                }
                else
                {
                    badRows++;
                }
            }

            return new ApplicationUpload(rows, errors, Truncated: false);
        }
    }

    /// <summary>The scored rows as CSV: the source line, the wallet and the decision fields.</summary>
    public static void WriteScored(TextWriter writer, IEnumerable<(ApplicationRow Row, CreditScoreResult Result)> scored)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(scored);
        writer.Write("line,wallet_address,default_probability,credit_score,risk_level,recommended_action,interest_rate_suggestion,max_loan_amount,model_version,is_fallback\n");
        foreach (var (row, r) in scored)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{row.Line},{Quote(row.Application.WalletAddress)},{r.DefaultProbability:0.######},{r.CreditScore},{r.RiskLevel},{r.RecommendedAction},{r.InterestRateSuggestion},{r.MaxLoanAmount:0.00},{Quote(r.ModelVersion)},{(r.IsFallback ? "true" : "false")}\n"));
        }
    }

    // A wallet address from a user's file goes back out quoted, so a comma or a formula prefix cannot break the CSV.
    private static string Quote(string? value)
    {
        var text = value ?? string.Empty;
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@')
        {
            text = "'" + text;
        }

        return $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    }
}

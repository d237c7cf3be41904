using System.Globalization;
using LynqDashboard.Core.Features;
using Sylvan.Data.Csv;

namespace LynqDashboard.Core.Data;

/// <summary>
/// Reads a dataset CSV (ours or a user's): the 11 supplied feature columns and default_event are required,
/// true_pd is optional, collateral_ratio is always recomputed, other columns are ignored. Every bad cell is
/// reported with its line and column; a file with any problem is rejected whole.
/// </summary>
public static class DatasetCsvReader
{
    /// <summary>How many problems are listed before reading stops.</summary>
    public const int MaxReportedErrors = 20;

    public static LoanDataset Read(string path, CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(path, new FileStreamOptions { BufferSize = 1 << 20, Options = FileOptions.SequentialScan });
        return Read(reader, cancellationToken);
    }

    public static LoanDataset Read(TextReader text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new List<DatasetError>();
        using var csv = OpenOrThrow(text);
        var columns = MapColumns(csv, errors);
        if (errors.Count > 0)
        {
            throw new DatasetFormatException(errors, truncated: false);
        }

        var builder = new DatasetBuilder(columns.TruePd >= 0);
        Span<float> row = stackalloc float[LoanFeatures.Count];
        long line = 1;
        while (csv.Read())
        {
            line++;
            if ((line & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (ReadRow(csv, columns, line, row, errors, out var label, out var truePd))
            {
                builder.Add(row, label, truePd);
            }

            if (errors.Count >= MaxReportedErrors)
            {
                throw new DatasetFormatException(errors, truncated: true);
            }
        }

        if (errors.Count > 0)
        {
            throw new DatasetFormatException(errors, truncated: false);
        }

        if (builder.Count == 0)
        {
            throw new DatasetFormatException([new DatasetError(2, null, "the file has a header but no data rows")], truncated: false);
        }

        return builder.Build();
    }

    private static CsvDataReader OpenOrThrow(TextReader text)
    {
        try
        {
            return CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true });
        }
        catch (CsvMissingHeadersException)
        {
            throw new DatasetFormatException([new DatasetError(1, null, "the file is empty; expected a header row naming the columns")], truncated: false);
        }
    }

    private static ColumnMap MapColumns(CsvDataReader csv, List<DatasetError> errors)
    {
        var names = Enumerable.Range(0, csv.FieldCount).Select(csv.GetName).ToList();
        var header = CsvHeader.Map(names, [.. LoanFeatures.Supplied.Select(f => f.Name), LoanFeatures.LabelColumn], errors);
        var featureColumns = LoanFeatures.All.Select(spec => header.IndexOf(spec.Name)).ToArray();
        return new ColumnMap(featureColumns, header.IndexOf(LoanFeatures.LabelColumn), header.IndexOf(LoanFeatures.TruePdColumn), csv.FieldCount);
    }

    private static bool ReadRow(CsvDataReader csv, ColumnMap columns, long line, Span<float> row, List<DatasetError> errors, out bool label, out float truePd)
    {
        label = false;
        truePd = float.NaN;
        if (csv.RowFieldCount < columns.FieldCount)
        {
            errors.Add(new DatasetError(line, null, $"has {csv.RowFieldCount} field(s), the header has {columns.FieldCount}"));
            return false;
        }

        var ok = true;
        double loanAmount = 0, collateral = 0;
        foreach (var spec in LoanFeatures.Supplied)
        {
            if (!CsvCells.TryNumber(csv, columns.Features[spec.Index], spec.Name, line, errors, out var value))
            {
                ok = false;
                continue;
            }

            if (spec.Check(value) is { } problem)
            {
                errors.Add(new DatasetError(line, spec.Name, $"{problem} (got {value.ToString(CultureInfo.InvariantCulture)})"));
                ok = false;
                continue;
            }

            DatasetCsvFormat.Put(spec, value, row, ref loanAmount, ref collateral);
        }

        row[LoanFeatures.CollateralRatio.Index] = (float)LoanFeatures.ComputeCollateralRatio(loanAmount, collateral);

        if (CsvCells.TryNumber(csv, columns.Label, LoanFeatures.LabelColumn, line, errors, out var outcome))
        {
            if (outcome is 0 or 1)
            {
                label = outcome == 1;
            }
            else
            {
                errors.Add(new DatasetError(line, LoanFeatures.LabelColumn, $"must be 0 or 1 (got {outcome.ToString(CultureInfo.InvariantCulture)})"));
                ok = false;
            }
        }
        else
        {
            ok = false;
        }

        if (columns.TruePd >= 0)
        {
            if (!CsvCells.TryNumber(csv, columns.TruePd, LoanFeatures.TruePdColumn, line, errors, out var pd))
            {
                ok = false;
            }
            else if (pd is < 0 or > 1)
            {
                errors.Add(new DatasetError(line, LoanFeatures.TruePdColumn, $"must be a probability between 0 and 1 (got {pd.ToString(CultureInfo.InvariantCulture)})"));
                ok = false;
            }
            else
            {
                truePd = (float)pd;
            }
        }

        return ok;
    }

    private sealed record ColumnMap(int[] Features, int Label, int TruePd, int FieldCount);

    /// <summary>Growable columnar buffers; doubling keeps a 50M-row load to a few copies.</summary>
    private sealed class DatasetBuilder(bool hasTruePd)
    {
        private float[] _features = new float[4096 * LoanFeatures.Count];
        private bool[] _labels = new bool[4096];
        private float[]? _truePd = hasTruePd ? new float[4096] : null;

        public int Count { get; private set; }

        public void Add(ReadOnlySpan<float> row, bool label, float truePd)
        {
            if (Count == _labels.Length)
            {
                var capacity = checked(_labels.Length * 2);
                Array.Resize(ref _features, capacity * LoanFeatures.Count);
                Array.Resize(ref _labels, capacity);
                if (_truePd is not null)
                {
                    Array.Resize(ref _truePd, capacity);
                }
            }

            row.CopyTo(_features.AsSpan(Count * LoanFeatures.Count));
            _labels[Count] = label;
            _truePd?[Count] = truePd;
            Count++;
        }

        public LoanDataset Build()
        {
            Array.Resize(ref _features, Count * LoanFeatures.Count);
            Array.Resize(ref _labels, Count);
            if (_truePd is not null)
            {
                Array.Resize(ref _truePd, Count);
            }

            return new LoanDataset(_features, _labels, _truePd);
        }
    }
}

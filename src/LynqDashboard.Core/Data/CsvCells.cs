using System.Globalization;
using Sylvan.Data.Csv;

namespace LynqDashboard.Core.Data;

/// <summary>Reads one numeric CSV cell the same way for every reader, naming the line and column of a bad one.</summary>
internal static class CsvCells
{
    public static bool TryNumber(CsvDataReader csv, int ordinal, string column, long line, List<DatasetError> errors, out double value)
    {
        var cell = csv.GetFieldSpan(ordinal).Trim();
        if (cell.IsEmpty)
        {
            errors.Add(new DatasetError(line, column, "is empty"));
            value = 0;
            return false;
        }

        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            errors.Add(new DatasetError(line, column, $"'{Shorten(cell)}' is not a number"));
            return false;
        }

        if (!double.IsFinite(value))
        {
            errors.Add(new DatasetError(line, column, $"must be a finite number (got {cell.ToString()})"));
            return false;
        }

        return true;
    }

    private static string Shorten(ReadOnlySpan<char> cell) => cell.Length <= 40 ? cell.ToString() : $"{cell[..40]}…";
}

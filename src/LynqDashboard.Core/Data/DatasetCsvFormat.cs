using System.Buffers;
using System.Globalization;
using System.Text;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Data;

/// <summary>
/// The dataset CSV layout: the 12 features in model order, then default_event and true_pd. A dataset built from real
/// outcomes (the decision ledger) has no true PD and leaves the column out, which the reader allows.
/// </summary>
public static class DatasetCsvFormat
{
    /// <summary>Room for one formatted row; the longest realistic row is about 120 bytes.</summary>
    private const int MaxRowBytes = 512;

    private const string TruePdFormat = "F6";

    public static IReadOnlyList<string> Columns { get; } =
        [.. LoanFeatures.Names, LoanFeatures.LabelColumn, LoanFeatures.TruePdColumn];

    /// <summary>The columns of a dataset without a true PD (observed outcomes).</summary>
    public static IReadOnlyList<string> ObservedColumns { get; } = [.. LoanFeatures.Names, LoanFeatures.LabelColumn];

    internal static ReadOnlySpan<byte> HeaderUtf8 => HeaderBytes;

    internal static ReadOnlySpan<byte> ObservedHeaderUtf8 => ObservedHeaderBytes;

    private static readonly byte[] HeaderBytes = Encoding.UTF8.GetBytes(string.Join(',', Columns) + "\n");

    private static readonly byte[] ObservedHeaderBytes = Encoding.UTF8.GetBytes(string.Join(',', ObservedColumns) + "\n");

    /// <summary>Appends one row, invariant culture, each feature as its spec says (money in cents, the ratio to 6 decimals), the true PD to 6.</summary>
    /// <param name="loan">The row.</param>
    /// <param name="writer">Where its bytes go.</param>
    /// <param name="withTruePd">False for an <see cref="ObservedColumns"/> file: the row ends after default_event.</param>
    internal static void AppendRow(in GeneratedLoan loan, IBufferWriter<byte> writer, bool withTruePd = true)
    {
        var span = writer.GetSpan(MaxRowBytes);
        var n = 0;
        // An index loop: a foreach over the IReadOnlyList would allocate an enumerator per row.
        var features = LoanFeatures.All;
        for (var i = 0; i < features.Count; i++)
        {
            Fixed(loan.Get(features[i]), features[i].CsvFormat, span, ref n);
        }

        Int(loan.Default ? 1 : 0, span, ref n);
        if (withTruePd)
        {
            Fixed(loan.TruePd, TruePdFormat, span, ref n);
        }

        span[n - 1] = (byte)'\n';
        writer.Advance(n);
    }

    /// <summary>
    /// Reads back one row <see cref="AppendRow"/> wrote (with the true PD) the way <see cref="DatasetCsvReader"/> reads
    /// it: each supplied feature parsed as a double and narrowed to float, the collateral ratio recomputed from the
    /// parsed loan and collateral, so the values are bit for bit those of the file read back.
    /// </summary>
    internal static void ParseRow(ReadOnlySpan<byte> line, Span<float> features, out bool label, out float truePd)
    {
        double loanAmount = 0, collateral = 0;
        var all = LoanFeatures.All;
        for (var i = 0; i < all.Count; i++)
        {
            var value = NextCell(ref line);
            var spec = all[i];
            if (spec.IsComputed)
            {
                continue;
            }

            Put(spec, value, features, ref loanAmount, ref collateral);
        }

        features[LoanFeatures.CollateralRatio.Index] = (float)LoanFeatures.ComputeCollateralRatio(loanAmount, collateral);
        label = NextCell(ref line) == 1;
        truePd = (float)NextCell(ref line);
    }

    /// <summary>
    /// One supplied feature's value as a reader of the file keeps it (narrowed to float in its model slot), remembering
    /// the loan and the collateral the computed ratio is made of.
    /// </summary>
    internal static void Put(FeatureSpec spec, double value, Span<float> row, ref double loanAmount, ref double collateral)
    {
        row[spec.Index] = (float)value;
        if (spec == LoanFeatures.LoanAmount)
        {
            loanAmount = value;
        }
        else if (spec == LoanFeatures.CollateralValueUsd)
        {
            collateral = value;
        }
    }

    private static double NextCell(ref ReadOnlySpan<byte> line)
    {
        var end = line.IndexOfAny((byte)',', (byte)'\n');
        var value = double.Parse(line[..end], NumberStyles.Float, CultureInfo.InvariantCulture);
        line = line[(end + 1)..];
        return value;
    }

    private static void Int(int value, Span<byte> span, ref int n)
    {
        value.TryFormat(span[n..], out var written, default, CultureInfo.InvariantCulture);
        n += written;
        span[n++] = (byte)',';
    }

    private static void Fixed(double value, string format, Span<byte> span, ref int n)
    {
        value.TryFormat(span[n..], out var written, format, CultureInfo.InvariantCulture);
        n += written;
        span[n++] = (byte)',';
    }
}

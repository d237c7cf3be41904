using System.Buffers;
using System.Security.Cryptography;

namespace LynqDashboard.Core.Data;

/// <summary>Writes a generated dataset as CSV + manifest, atomically: a crash or a cancel leaves no half file.</summary>
public static class DatasetFiles
{
    public static Task<DatasetManifest> GenerateAsync(
        DatasetParameters parameters,
        string csvPath,
        IProgress<GenerationProgress>? progress = null,
        TimeProvider? clock = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var generator = new DatasetGenerator(parameters);
        return WriteAtomicallyAsync(csvPath, DatasetCsvFormat.Columns, GeneratorParameters.From(parameters),
            (stream, token) => generator.WriteCsvAsync(stream, progress, token), clock, cancellationToken);
    }

    /// <summary>
    /// <see cref="GenerateAsync"/> that also returns the rows as the file reads (see
    /// <see cref="DatasetGenerator.WriteCsvKeepingRowsAsync"/>): for training on data generated for the purpose.
    /// </summary>
    public static async Task<(DatasetManifest Manifest, LoanDataset Rows)> GenerateKeepingRowsAsync(
        DatasetParameters parameters,
        string csvPath,
        IProgress<GenerationProgress>? progress = null,
        TimeProvider? clock = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var generator = new DatasetGenerator(parameters);
        LoanDataset? rows = null;
        var manifest = await WriteAtomicallyAsync(csvPath, DatasetCsvFormat.Columns, GeneratorParameters.From(parameters), async (stream, token) =>
        {
            var (written, kept) = await generator.WriteCsvKeepingRowsAsync(stream, progress, token).ConfigureAwait(false);
            rows = kept;
            return written;
        }, clock, cancellationToken).ConfigureAwait(false);
        return (manifest, rows!);
    }

    /// <summary>
    /// Writes rows that were not generated (observed outcomes, e.g. from the decision ledger) in the same format, without
    /// the true_pd column, with the same atomic file and manifest; the manifest names no generator.
    /// </summary>
    public static Task<DatasetManifest> WriteObservedAsync(
        IAsyncEnumerable<GeneratedLoan> rows,
        string csvPath,
        TimeProvider? clock = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return WriteAtomicallyAsync(csvPath, DatasetCsvFormat.ObservedColumns, generator: null, (stream, token) => WriteObservedRowsAsync(rows, stream, token), clock, cancellationToken);
    }

    private static async Task<DatasetWriteResult> WriteObservedRowsAsync(IAsyncEnumerable<GeneratedLoan> rows, Stream output, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        buffer.Write(DatasetCsvFormat.ObservedHeaderUtf8);
        long count = 0, defaults = 0, bytes = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            DatasetCsvFormat.AppendRow(row, buffer, withTruePd: false);
            (count, defaults) = (count + 1, defaults + (row.Default ? 1 : 0));
            if (buffer.WrittenCount >= 1 << 16)
            {
                bytes += await FlushAsync(buffer, output, hash, cancellationToken).ConfigureAwait(false);
            }
        }

        bytes += await FlushAsync(buffer, output, hash, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new DatasetWriteResult(count, defaults, Convert.ToHexStringLower(hash.GetHashAndReset()), bytes);
    }

    private static async Task<long> FlushAsync(ArrayBufferWriter<byte> buffer, Stream output, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var written = buffer.WrittenCount;
        hash.AppendData(buffer.WrittenSpan);
        await output.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        buffer.ResetWrittenCount();
        return written;
    }

    private static async Task<DatasetManifest> WriteAtomicallyAsync(
        string csvPath,
        IReadOnlyList<string> columns,
        GeneratorParameters? generator,
        Func<Stream, CancellationToken, Task<DatasetWriteResult>> write,
        TimeProvider? clock,
        CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(csvPath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temporary = $"{fullPath}.{Guid.NewGuid():N}.tmp";
        try
        {
            DatasetWriteResult result;
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
            {
                result = await write(stream, cancellationToken).ConfigureAwait(false);
            }

            var manifest = new DatasetManifest
            {
                FileName = Path.GetFileName(fullPath),
                RowCount = result.Rows,
                Defaults = result.Defaults,
                ObservedDefaultRate = result.ObservedDefaultRate,
                Columns = columns,
                Sha256 = result.Sha256,
                SizeBytes = result.SizeBytes,
                Generator = generator,
                CreatedAt = (clock ?? TimeProvider.System).GetUtcNow(),
            };
            File.Move(temporary, fullPath, overwrite: true);
            await manifest.SaveAsync(DatasetManifest.PathFor(fullPath), cancellationToken).ConfigureAwait(false);
            return manifest;
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}

using System.Buffers;
using System.Security.Cryptography;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Data;

/// <summary>
/// Generates LYNQ loan rows. Rows come in fixed-size chunks, each with its own random stream derived from
/// (seed, chunk index), so chunks can be made in parallel and the output is the same bytes on any core count.
/// Memory is bounded by a few chunks in flight, whatever the row count.
/// </summary>
public sealed class DatasetGenerator
{
    internal const int ChunkRows = 16_384;

    private readonly LoanSynthesizer _synthesizer;

    public DatasetGenerator(DatasetParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.EnsureValid();
        Parameters = parameters;
        _synthesizer = LoanSynthesizer.For(parameters.LabelMode, parameters.DefaultRate);
    }

    public DatasetParameters Parameters { get; }

    private long ChunkCount => (Parameters.Rows + (long)ChunkRows - 1) / ChunkRows;

    /// <summary>All rows in file order, one chunk in memory at a time.</summary>
    public IEnumerable<GeneratedLoan> Rows()
    {
        var buffer = new GeneratedLoan[ChunkRows];
        for (long chunk = 0; chunk < ChunkCount; chunk++)
        {
            var count = GenerateChunk(chunk, buffer);
            for (var i = 0; i < count; i++)
            {
                yield return buffer[i];
            }
        }
    }

    /// <summary>Streams the CSV (header included) to <paramref name="output"/> and returns what was written.</summary>
    public Task<DatasetWriteResult> WriteCsvAsync(
        Stream output,
        IProgress<GenerationProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        WriteCsvAsync(output, kept: null, progress, cancellationToken);

    /// <summary>
    /// Streams the CSV like <see cref="WriteCsvAsync(Stream, IProgress{GenerationProgress}?, CancellationToken)"/> and
    /// also keeps the rows in memory exactly as a reader of that file gets them (each cell parsed back from the bytes
    /// written), so a pipeline that trains on data it has just generated need not read the file back.
    /// </summary>
    public async Task<(DatasetWriteResult Written, LoanDataset Rows)> WriteCsvKeepingRowsAsync(
        Stream output,
        IProgress<GenerationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (Parameters.Rows > int.MaxValue / LoanFeatures.Count)
        {
            throw LynqException.Invalid("rows", $"{Parameters.Rows:N0} rows are too many to keep in memory; write the file and train from it in parts.");
        }

        var rows = (int)Parameters.Rows;
        var kept = new KeptRows(new float[rows * LoanFeatures.Count], new bool[rows], new float[rows]);
        var written = await WriteCsvAsync(output, kept, progress, cancellationToken).ConfigureAwait(false);
        return (written, new LoanDataset(kept.Features, kept.Labels, kept.TruePd));
    }

    private async Task<DatasetWriteResult> WriteCsvAsync(
        Stream output,
        KeptRows? kept,
        IProgress<GenerationProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(DatasetCsvFormat.HeaderUtf8);
        await output.WriteAsync(DatasetCsvFormat.HeaderUtf8.ToArray(), cancellationToken).ConfigureAwait(false);
        long bytes = DatasetCsvFormat.HeaderUtf8.Length;
        long defaults = 0;

        // Two sets of chunk buffers: one is written while the next is generated.
        var slots = Math.Max(2, Environment.ProcessorCount * 2);
        ChunkBuffer[][] sets = [ChunkBuffer.CreateSet(slots), ChunkBuffer.CreateSet(slots)];
        var pendingWrite = Task.FromResult(0L);
        var setIndex = 0;
        for (long first = 0; first < ChunkCount; first += slots, setIndex ^= 1)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var set = sets[setIndex];
            var count = (int)Math.Min(slots, ChunkCount - first);
            var firstChunk = first;
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i => FormatChunk(firstChunk + i, set[i], kept));

            bytes += await pendingWrite.ConfigureAwait(false);
            pendingWrite = WriteSetAsync(set, count, output, hash, cancellationToken);
            for (var i = 0; i < count; i++)
            {
                defaults += set[i].Defaults;
            }

            progress?.Report(new GenerationProgress(Math.Min(Parameters.Rows, (first + count) * ChunkRows), Parameters.Rows));
        }

        bytes += await pendingWrite.ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new DatasetWriteResult(Parameters.Rows, defaults, Convert.ToHexStringLower(hash.GetHashAndReset()), bytes);
    }

    /// <summary>Fills <paramref name="rows"/> with chunk <paramref name="chunkIndex"/>; returns how many rows it holds.</summary>
    internal int GenerateChunk(long chunkIndex, Span<GeneratedLoan> rows)
    {
        var count = (int)Math.Min(ChunkRows, Parameters.Rows - (chunkIndex * ChunkRows));
        var rng = LoanSynthesizer.CreateRandom(Parameters.Seed, chunkIndex);
        for (var i = 0; i < count; i++)
        {
            _synthesizer.Next(rng, out rows[i]);
        }

        return count;
    }

    private void FormatChunk(long chunkIndex, ChunkBuffer buffer, KeptRows? kept)
    {
        var count = GenerateChunk(chunkIndex, buffer.Rows);
        buffer.Bytes.ResetWrittenCount();
        buffer.Defaults = 0;
        var first = (int)(chunkIndex * ChunkRows);
        for (var i = 0; i < count; i++)
        {
            var start = buffer.Bytes.WrittenCount;
            DatasetCsvFormat.AppendRow(buffer.Rows[i], buffer.Bytes);
            buffer.Defaults += buffer.Rows[i].Default ? 1 : 0;
            if (kept is not null)
            {
                var row = first + i;
                DatasetCsvFormat.ParseRow(buffer.Bytes.WrittenSpan[start..], kept.Features.AsSpan(row * LoanFeatures.Count, LoanFeatures.Count), out kept.Labels[row], out kept.TruePd[row]);
            }
        }
    }

    private sealed record KeptRows(float[] Features, bool[] Labels, float[] TruePd);

    private static async Task<long> WriteSetAsync(ChunkBuffer[] set, int count, Stream output, IncrementalHash hash, CancellationToken cancellationToken)
    {
        long bytes = 0;
        for (var i = 0; i < count; i++)
        {
            var written = set[i].Bytes.WrittenMemory;
            hash.AppendData(written.Span);
            await output.WriteAsync(written, cancellationToken).ConfigureAwait(false);
            bytes += written.Length;
        }

        return bytes;
    }

    private sealed class ChunkBuffer
    {
        public GeneratedLoan[] Rows { get; } = new GeneratedLoan[ChunkRows];

        public ArrayBufferWriter<byte> Bytes { get; } = new(ChunkRows * 96);

        public long Defaults { get; set; }

        public static ChunkBuffer[] CreateSet(int slots) => [.. Enumerable.Range(0, slots).Select(_ => new ChunkBuffer())];
    }
}

/// <summary>What a CSV write produced.</summary>
public sealed record DatasetWriteResult(long Rows, long Defaults, string Sha256, long SizeBytes)
{
    public double ObservedDefaultRate => Rows == 0 ? 0 : (double)Defaults / Rows;
}

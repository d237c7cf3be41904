using System.Buffers;
using System.Security.Cryptography;

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
    public async Task<DatasetWriteResult> WriteCsvAsync(
        Stream output,
        IProgress<GenerationProgress>? progress = null,
        CancellationToken cancellationToken = default)
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
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i => FormatChunk(firstChunk + i, set[i]));

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

    private void FormatChunk(long chunkIndex, ChunkBuffer buffer)
    {
        var count = GenerateChunk(chunkIndex, buffer.Rows);
        buffer.Bytes.ResetWrittenCount();
        buffer.Defaults = 0;
        for (var i = 0; i < count; i++)
        {
            DatasetCsvFormat.AppendRow(buffer.Rows[i], buffer.Bytes);
            buffer.Defaults += buffer.Rows[i].Default ? 1 : 0;
        }
    }

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

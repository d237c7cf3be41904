using System.Threading.Channels;

namespace LynqDashboard.Core.Monitoring;

/// <summary>
/// The ledger's buffer: scoring threads hand decisions to a bounded channel and go on; one writer (<see cref="RunAsync"/>)
/// takes them out in batches for <see cref="IDecisionStore.AppendAsync"/>. A full buffer or a failed write loses
/// decisions, and every lost one is counted in <see cref="Dropped"/>: never a silent loss, and never a wait.
/// </summary>
public sealed class DecisionLedger : IDecisionLedger
{
    private readonly Channel<DecisionRecord> _buffer;
    /// <summary>
    /// One second of decisions per transaction: each transaction rewrites every index page it touched, and ids that are
    /// not time-ordered (a caller's own) touch the request-id index at random, so fewer, larger transactions cost the
    /// scoring cores less. A crash can lose up to this much; a graceful stop flushes everything.
    /// </summary>
    public static readonly TimeSpan DefaultLinger = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _linger;
    private long _recorded;
    private long _dropped;
    private long _written;
    private long _writeFailures;
    private int _inFlight;

    /// <param name="enabled">False: <see cref="Record"/> refuses everything and counts nothing (Lynq:Monitoring:Ledger:Enabled).</param>
    /// <param name="capacity">Decisions buffered before new ones are dropped (Lynq:Monitoring:Ledger:Capacity).</param>
    /// <param name="linger">
    /// How long the writer waits for a batch to fill once something arrived (default <see cref="DefaultLinger"/>).
    /// </param>
    public DecisionLedger(bool enabled, int capacity, TimeSpan? linger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Enabled = enabled;
        _linger = linger ?? DefaultLinger;

        // Wait mode makes TryWrite answer false when full (the other modes drop silently), which is what lets the drop be counted.
        _buffer = Channel.CreateBounded<DecisionRecord>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>Raised by the writer when a batch could not be stored, with how many decisions it held (they are counted as dropped).</summary>
    public event Action<Exception, int>? WriteFailed;

    public bool Enabled { get; }

    public long Dropped => Interlocked.Read(ref _dropped);

    public int Pending => _buffer.Reader.Count + Volatile.Read(ref _inFlight);

    /// <summary>Decisions accepted into the buffer since the process started.</summary>
    public long Recorded => Interlocked.Read(ref _recorded);

    /// <summary>Decisions stored since the process started.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Of <see cref="Dropped"/>, those lost because the store refused their batch (the rest found the buffer full).</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    public bool Record(DecisionRecord decision)
    {
        if (!Enabled || decision is null)
        {
            return false;
        }

        if (_buffer.Writer.TryWrite(decision))
        {
            Interlocked.Increment(ref _recorded);
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>
    /// Writes what is buffered until <paramref name="cancellationToken"/> fires, then flushes everything still buffered
    /// (a graceful shutdown loses nothing that was recorded before it). A failed batch is counted and the loop goes on.
    /// </summary>
    /// <param name="store">Where batches go.</param>
    /// <param name="batchSize">Most decisions per <see cref="IDecisionStore.AppendAsync"/> (Lynq:Monitoring:Ledger:BatchSize).</param>
    /// <param name="cancellationToken">Stopping: ends the waiting, not the final flush.</param>
    public async Task RunAsync(IDecisionStore store, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var batch = new List<DecisionRecord>(batchSize);
        try
        {
            while (await _buffer.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_buffer.Reader.Count < batchSize && _linger > TimeSpan.Zero)
                {
                    await Task.Delay(_linger, cancellationToken).ConfigureAwait(false);
                }

                await WriteBufferedAsync(store, batch, batchSize).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await WriteBufferedAsync(store, batch, batchSize).ConfigureAwait(false);
    }

    /// <summary>
    /// Work done on each batch on the writer, before it is stored (the shadow's answers): off the request path. Its
    /// failures never lose the batch.
    /// </summary>
    public Action<IReadOnlyList<DecisionRecord>>? BeforeWrite { get; set; }

    private void FillBeforeWrite(List<DecisionRecord> batch)
    {
        try
        {
            BeforeWrite?.Invoke(batch);
        }
        catch (Exception e)
        {
            WriteFailed?.Invoke(e, 0);
        }
    }

    // Writes are not cancelled: what was taken out of the buffer is stored or counted, never abandoned half-way.
    private async Task WriteBufferedAsync(IDecisionStore store, List<DecisionRecord> batch, int batchSize)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < batchSize && _buffer.Reader.TryRead(out var decision))
            {
                batch.Add(decision);
            }

            if (batch.Count == 0)
            {
                return;
            }

            Volatile.Write(ref _inFlight, batch.Count);
            try
            {
                FillBeforeWrite(batch);
                await store.AppendAsync(batch, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Add(ref _written, batch.Count);
            }
            catch (Exception e)
            {
                Interlocked.Add(ref _dropped, batch.Count);
                Interlocked.Add(ref _writeFailures, batch.Count);
                WriteFailed?.Invoke(e, batch.Count);
            }
            finally
            {
                Volatile.Write(ref _inFlight, 0);
            }
        }
    }
}

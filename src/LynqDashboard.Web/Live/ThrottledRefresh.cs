namespace LynqDashboard.Web.Live;

/// <summary>
/// Coalesces bursts of signals into at most one refresh per <see cref="Interval"/>: a fast job reporting every
/// tree cannot flood the circuit, and the first signal after a quiet spell refreshes at once.
/// </summary>
public sealed class ThrottledRefresh(Func<Task> refresh, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private DateTimeOffset _last = DateTimeOffset.MinValue;
    private ITimer? _pending;
    private bool _disposed;

    public void Signal()
    {
        lock (_gate)
        {
            if (_disposed || _pending is not null)
            {
                return;
            }

            var wait = _last + Interval - clock.GetUtcNow();
            _pending = clock.CreateTimer(_ => _ = FireAsync(), null, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _pending?.Dispose();
            _pending = null;
        }
    }

    private async Task FireAsync()
    {
        lock (_gate)
        {
            _pending?.Dispose();
            _pending = null;
            if (_disposed)
            {
                return;
            }

            _last = clock.GetUtcNow();
        }

        try
        {
            await refresh().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away between the signal and the refresh.
        }
    }
}

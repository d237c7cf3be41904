using System.Collections.Concurrent;

namespace LynqDashboard.Core.Runs;

/// <summary>
/// Running jobs in this process by record id, so a Cancel click stops one at once. Other processes see the
/// stored CancelRequested flag instead, checked at every progress save.
/// </summary>
public sealed class RunCancellations
{
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    /// <summary>A token cancelled by <see cref="Cancel"/> or by <paramref name="outer"/>; dispose it when the job ends.</summary>
    public Registration Register(Guid id, CancellationToken outer)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _running[id] = source;
        return new Registration(this, id, source);
    }

    /// <summary>Cancels the job if it runs here; true when it did.</summary>
    public bool Cancel(Guid id)
    {
        if (!_running.TryGetValue(id, out var source))
        {
            return false;
        }

        source.Cancel();
        return true;
    }

    public sealed class Registration(RunCancellations owner, Guid id, CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public void Cancel() => source.Cancel();

        public void Dispose()
        {
            owner._running.TryRemove(new KeyValuePair<Guid, CancellationTokenSource>(id, source));
            source.Dispose();
        }
    }
}

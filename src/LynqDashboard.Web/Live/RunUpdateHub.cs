using LynqDashboard.Core.Runs;

namespace LynqDashboard.Web.Live;

/// <summary>
/// Fans job updates out to the pages open in this process. Handlers run on the job's thread and must be
/// quick: pages hand them to a <see cref="ThrottledRefresh"/>. Updates come from jobs running here
/// (<see cref="Publish"/>) and, when jobs run in other processes, from the shared database
/// (<see cref="PublishFromStore"/>); a run's end is announced once whichever way it arrives first.
/// </summary>
public sealed class RunUpdateHub(TimeProvider clock) : IRunUpdatePublisher
{
    /// <summary>A job here that reported within this long owns its run's updates; the database copy lags behind it.</summary>
    public static readonly TimeSpan LocalFreshness = TimeSpan.FromSeconds(5);

    /// <summary>The same end of the same run seen again within this long is the other path's copy of it.</summary>
    public static readonly TimeSpan FinalEcho = TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, DateTimeOffset> _localReports = new();
    private readonly Dictionary<Guid, (RunState State, DateTimeOffset At)> _finals = [];
    private ImmutableSubscriptions _subscriptions = ImmutableSubscriptions.Empty;

    /// <summary>Number of live subscriptions (pages that forgot to dispose show up here).</summary>
    public int SubscriberCount => _subscriptions.Count;

    /// <summary>An update from a job running in this process.</summary>
    public void Publish(RunUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        // Kept after the end too, so a database copy read just before the end cannot move the run back.
        _localReports[update.Id] = clock.GetUtcNow();
        if (_localReports.Count > 4096)
        {
            foreach (var stale in _localReports.Where(r => clock.GetUtcNow() - r.Value >= LocalFreshness).Select(r => r.Key).ToList())
            {
                _localReports.TryRemove(stale, out _);
            }
        }

        Deliver(update);
    }

    /// <summary>
    /// An update read from the shared database (a job in another process). Dropped while a job here reports on the
    /// same run, and when it repeats an end already announced.
    /// </summary>
    public void PublishFromStore(RunUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (!update.IsFinished && IsReportedHere(update.Id))
        {
            return;
        }

        Deliver(update);
    }

    /// <summary>True while a job in this process reports on the run.</summary>
    public bool IsReportedHere(Guid id) => _localReports.TryGetValue(id, out var at) && clock.GetUtcNow() - at < LocalFreshness;

    private void Deliver(RunUpdate update)
    {
        if (update.IsFinished ? !FirstNewsOfEnd(update) : ForgetEnd(update.Id))
        {
            return;
        }

        foreach (var subscription in _subscriptions.Items)
        {
            if (subscription.Filter(update))
            {
                subscription.Handler(update);
            }
        }
    }

    // A run that moves again (a retry) may end the same way again and must be announced again.
    private bool ForgetEnd(Guid id)
    {
        lock (_gate)
        {
            _finals.Remove(id);
        }

        return false;
    }

    private bool FirstNewsOfEnd(RunUpdate update)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (_finals.TryGetValue(update.Id, out var seen) && seen.State == update.State && now - seen.At < FinalEcho)
            {
                return false;
            }

            if (_finals.Count > 1024)
            {
                foreach (var old in _finals.Where(f => now - f.Value.At >= FinalEcho).Select(f => f.Key).ToList())
                {
                    _finals.Remove(old);
                }
            }

            _finals[update.Id] = (update.State, now);
            return true;
        }
    }

    /// <summary>Calls <paramref name="handler"/> for each update that passes <paramref name="filter"/> until disposed.</summary>
    public IDisposable Subscribe(Func<RunUpdate, bool> filter, Action<RunUpdate> handler)
    {
        var subscription = new Subscription(this, filter, handler);
        lock (_gate)
        {
            _subscriptions = _subscriptions.Add(subscription);
        }

        return subscription;
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = _subscriptions.Remove(subscription);
        }
    }

    private sealed class Subscription(RunUpdateHub hub, Func<RunUpdate, bool> filter, Action<RunUpdate> handler) : IDisposable
    {
        public Func<RunUpdate, bool> Filter { get; } = filter;

        public Action<RunUpdate> Handler { get; } = handler;

        public void Dispose() => hub.Remove(this);
    }

    // Copy-on-write list: publishing (hot, from job threads) never takes the lock.
    private sealed record ImmutableSubscriptions(Subscription[] Items)
    {
        public static readonly ImmutableSubscriptions Empty = new([]);

        public int Count => Items.Length;

        public ImmutableSubscriptions Add(Subscription s) => new([.. Items, s]);

        public ImmutableSubscriptions Remove(Subscription s) => new([.. Items.Where(i => !ReferenceEquals(i, s))]);
    }
}

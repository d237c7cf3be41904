using LynqDashboard.Core.Workflows;

namespace LynqDashboard.Web.Live;

/// <summary>
/// Fans job updates out to the pages open in this process. Handlers run on the job's thread and must be
/// quick: pages hand them to a <see cref="ThrottledRefresh"/>.
/// </summary>
public sealed class RunUpdateHub : IRunUpdatePublisher
{
    private readonly Lock _gate = new();
    private ImmutableSubscriptions _subscriptions = ImmutableSubscriptions.Empty;

    /// <summary>Number of live subscriptions (pages that forgot to dispose show up here).</summary>
    public int SubscriberCount => _subscriptions.Count;

    public void Publish(RunUpdate update)
    {
        foreach (var subscription in _subscriptions.Items)
        {
            if (subscription.Filter(update))
            {
                subscription.Handler(update);
            }
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

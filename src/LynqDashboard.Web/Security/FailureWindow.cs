using System.Collections.Concurrent;

namespace LynqDashboard.Web.Security;

/// <summary>
/// Counts failures per key (a client address, an account) in memory: <c>limit</c> failures within <c>window</c> of
/// the first one block the key for <c>blockFor</c>, after which counting starts afresh. Checking costs a dictionary
/// read, so it runs before any key hash or password hash. Per process: with several processes behind a balancer a
/// client gets at most that many times the budget.
/// </summary>
public sealed class FailureWindow
{
    private const int PruneAbove = 50_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private int _sincePrune;

    /// <param name="limit">Failures that set off the block (the last of them is the one that blocks).</param>
    /// <param name="window">How long after the first failure the others still count.</param>
    /// <param name="blockFor">How long a key stays blocked once it reached the limit.</param>
    /// <param name="clock">The app's clock.</param>
    public FailureWindow(int limit, TimeSpan window, TimeSpan blockFor, TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        (Limit, Window, BlockFor, _clock) = (limit, window, blockFor, clock);
    }

    public int Limit { get; }

    public TimeSpan Window { get; }

    public TimeSpan BlockFor { get; }

    /// <summary>How long <paramref name="key"/> must still wait; null when it may try now.</summary>
    public TimeSpan? BlockedFor(string key)
    {
        var now = _clock.GetUtcNow();
        return _entries.TryGetValue(key, out var entry) && entry.BlockedUntil > now ? entry.BlockedUntil - now : null;
    }

    /// <summary>Counts one failure; returns how long the key is now blocked, or null while it is under the limit.</summary>
    public TimeSpan? RecordFailure(string key)
    {
        var now = _clock.GetUtcNow();
        var entry = _entries.AddOrUpdate(key, _ => Next(null, now), (_, previous) => Next(previous, now));
        if (Interlocked.Increment(ref _sincePrune) >= 1_000 || _entries.Count > PruneAbove)
        {
            Prune(now);
        }

        return entry.BlockedUntil > now ? entry.BlockedUntil - now : null;
    }

    /// <summary>Forgets a key's failures (an Admin unlocked it).</summary>
    public void Forget(string key) => _entries.TryRemove(key, out _);

    private Entry Next(Entry? previous, DateTimeOffset now)
    {
        if (previous is { } blocked && blocked.BlockedUntil > now)
        {
            return blocked; // already waiting: more tries do not lengthen the wait
        }

        var fresh = previous is null || now - previous.Value.Start > Window || previous.Value.Count == 0;
        var (start, count) = fresh ? (now, 1) : (previous!.Value.Start, previous.Value.Count + 1);
        return count >= Limit ? new Entry(now, 0, now + BlockFor) : new Entry(start, count, DateTimeOffset.MinValue);
    }

    private void Prune(DateTimeOffset now)
    {
        Interlocked.Exchange(ref _sincePrune, 0);
        foreach (var (key, entry) in _entries)
        {
            if (entry.BlockedUntil <= now && now - entry.Start > Window)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }

        if (_entries.Count > PruneAbove * 4)
        {
            // A flood of distinct keys: keep the blocks, drop the partial counts, so memory stays bounded.
            foreach (var (key, entry) in _entries)
            {
                if (entry.BlockedUntil <= now)
                {
                    _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
                }
            }
        }
    }

    private readonly record struct Entry(DateTimeOffset Start, int Count, DateTimeOffset BlockedUntil);
}

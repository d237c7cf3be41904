using System.Collections.Concurrent;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Web.Live;

/// <summary>
/// A page's live view of jobs: keeps the newest progress per record, redraws at most every 100 ms, asks the
/// page to reload from the registry when a run changes status (a queued run starts, a run finishes), and stops
/// listening when disposed. The record holds what the page shows beside the bar (status chip, start time for the
/// elapsed time and ETA), so a page reloads it rather than guess it from the update.
/// </summary>
public sealed class LiveRuns : IDisposable
{
    private readonly ConcurrentDictionary<Guid, RunUpdate> _latest = new();
    private readonly ConcurrentDictionary<Guid, RunState> _states = new();
    private readonly IDisposable _subscription;
    private readonly ThrottledRefresh _refresh;
    private int _reload;

    /// <param name="hub">Where updates come from.</param>
    /// <param name="clock">The app's clock.</param>
    /// <param name="filter">Which updates this page cares about.</param>
    /// <param name="redraw">Runs on the circuit: reload when <see cref="ReloadNeeded"/> says so, then StateHasChanged.</param>
    public LiveRuns(RunUpdateHub hub, TimeProvider clock, Func<RunUpdate, bool> filter, Func<Task> redraw)
    {
        ArgumentNullException.ThrowIfNull(hub);
        _refresh = new ThrottledRefresh(redraw, clock);
        _subscription = hub.Subscribe(filter, update =>
        {
            _latest[update.Id] = update;
            var before = _states.TryGetValue(update.Id, out var seen) ? seen : (RunState?)null;
            _states[update.Id] = update.State;

            // The first update of a run also reloads: the page may hold it from before it started (Queued, no start time).
            if (update.IsFinished || before != update.State)
            {
                Interlocked.Exchange(ref _reload, 1);
            }

            _refresh.Signal();
        });
    }

    /// <summary>True once after any watched run started, finished or otherwise changed status: the page should reload its records.</summary>
    public bool ReloadNeeded() => Interlocked.Exchange(ref _reload, 0) == 1;

    /// <summary>The newest progress of a record: the live one while it runs, else the stored one.</summary>
    public JobProgress ProgressOf(Guid id, JobProgress stored) =>
        _latest.TryGetValue(id, out var update) && !update.IsFinished ? update.Progress : stored;

    public void Dispose()
    {
        _subscription.Dispose();
        _refresh.Dispose();
    }
}

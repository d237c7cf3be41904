using System.Collections.Concurrent;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Workflows;

namespace LynqDashboard.Web.Live;

/// <summary>
/// A page's live view of jobs: keeps the newest progress per record, redraws at most every 100 ms, asks the
/// page to reload from the registry when a run finishes, and stops listening when disposed.
/// </summary>
public sealed class LiveRuns : IDisposable
{
    private readonly ConcurrentDictionary<Guid, RunUpdate> _latest = new();
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
            if (update.IsFinished)
            {
                Interlocked.Exchange(ref _reload, 1);
            }

            _refresh.Signal();
        });
    }

    /// <summary>True once after any watched run finished: the page should reload its records.</summary>
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

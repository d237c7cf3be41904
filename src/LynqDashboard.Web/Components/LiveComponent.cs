using Microsoft.AspNetCore.Components;

namespace LynqDashboard.Web.Components;

/// <summary>
/// A component whose data changes while it is on screen. It owns what it subscribes to and a token for its loads,
/// and ends both when it leaves the page: a closed page keeps no subscription alive and no query running. Pages
/// derive from <see cref="DashboardPage"/>; small controls that only redraw (a banner, a time) derive from this.
/// </summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    private CancellationTokenSource? _closing;
    private List<IDisposable>? _owned;
    private bool _disposed;

    /// <summary>Cancelled when the component is disposed (the person left the page): pass it to every load.</summary>
    protected internal CancellationToken Closing => _disposed
        ? new CancellationToken(canceled: true)
        : (_closing ??= new CancellationTokenSource()).Token;

    /// <summary>Keeps <paramref name="subscription"/> until the component is disposed, then disposes it (at once if it already is).</summary>
    protected T Own<T>(T subscription)
        where T : IDisposable
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (_disposed)
        {
            // Made after an await that outlived the page: nothing will ever dispose it later.
            subscription.Dispose();
        }
        else
        {
            (_owned ??= []).Add(subscription);
        }

        return subscription;
    }

    /// <summary>Redraws whenever an event fires, on whatever thread raises it, until the component is disposed.</summary>
    /// <param name="subscribe">Adds the handler, e.g. <c>h => Active.Changed += h</c>.</param>
    /// <param name="unsubscribe">Removes it, e.g. <c>h => Active.Changed -= h</c>.</param>
    protected void RedrawOn(Action<Action> subscribe, Action<Action> unsubscribe)
    {
        ArgumentNullException.ThrowIfNull(subscribe);
        ArgumentNullException.ThrowIfNull(unsubscribe);
        Action redraw = () => Post(StateHasChanged);
        subscribe(redraw);
        Own(new Unsubscription(() => unsubscribe(redraw)));
    }

    /// <summary>Runs <paramref name="work"/> on this component's circuit without waiting: for events raised on other threads.</summary>
    protected void Post(Action work) => _ = InvokeAsync(work);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _closing?.Cancel();
        _closing?.Dispose();
        foreach (var subscription in _owned ?? [])
        {
            subscription.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    private sealed class Unsubscription(Action unsubscribe) : IDisposable
    {
        public void Dispose() => unsubscribe();
    }
}

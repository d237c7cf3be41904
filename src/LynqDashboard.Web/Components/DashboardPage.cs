using LynqDashboard.Core;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Web.Live;
using LynqDashboard.Web.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LynqDashboard.Web.Components;

/// <summary>
/// What every page does the same way: runs what a person asks for (busy while it runs, a notice when it worked, the
/// problem in words when it did not, then the page reloaded), follows live job updates, and stops its loads and
/// subscriptions when the person leaves (<see cref="LiveComponent"/>). A page overrides <see cref="LoadAsync"/> to read
/// what it shows.
/// </summary>
public abstract class DashboardPage : LiveComponent
{
    private LiveRuns? _runs;
    private bool _running;
    private bool _leaving;

    [Inject] private RunUpdateHub Hub { get; set; } = null!;

    [Inject] private TimeProvider Clock { get; set; } = null!;

    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [Inject] private IDialogService Dialogs { get; set; } = null!;

    [Inject] private UserAccess UserAccess { get; set; } = null!;

    /// <summary>
    /// Who is signed in and what their role allows, for the markup to leave out what they may not do (each action
    /// checks again on the server). Anonymous until <see cref="ReadAccessAsync"/>.
    /// </summary>
    protected Access Access { get; private set; } = new(UserAccess.Anonymous, null);

    /// <summary>True while an action runs, and from <see cref="NavigateAway"/> on: a second click must not repeat it.</summary>
    protected bool Busy => _running || _leaving;

    /// <summary>The colour of the notice an action shows when it worked: Info (work was queued) unless a page says otherwise.</summary>
    protected virtual Severity DoneSeverity => Severity.Info;

    /// <summary>How a problem a person must act on is shown: a warning when they can put it right here, an error when someone else must.</summary>
    public static Severity SeverityOf(ProblemKind kind) => kind switch
    {
        // Fix the input, wait for the other run, or reload: all on this page.
        ProblemKind.Invalid or ProblemKind.Conflict or ProblemKind.NotFound => Severity.Warning,

        // An Admin must grant the role, an operator must switch on or repair what is unavailable.
        _ => Severity.Error,
    };

    /// <summary>Reads what the page shows: after each action and when a followed run changes status. Reads nothing by default.</summary>
    protected virtual Task LoadAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs an action: the page is <see cref="Busy"/> meanwhile; <paramref name="done"/> is shown when it worked, a
    /// <see cref="LynqException"/> as a notice coloured by its kind when it did not; then the page reloads and redraws.
    /// </summary>
    /// <param name="action">The action; it gets <see cref="LiveComponent.Closing"/>.</param>
    /// <param name="done">What to tell the person when it worked; null shows nothing.</param>
    /// <returns>True when the action worked.</returns>
    protected async Task<bool> RunActionAsync(Func<CancellationToken, Task> action, string? done = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        var outcome = await RunActionAsync(
            async cancellationToken =>
            {
                await action(cancellationToken);
                return Worked.Value;
            },
            done is null ? null : _ => done);
        return outcome is not null;
    }

    /// <summary>The same for an action with a result, which <paramref name="done"/> may name.</summary>
    /// <returns>The result, or null when the action failed.</returns>
    protected async Task<T?> RunActionAsync<T>(Func<CancellationToken, Task<T>> action, Func<T, string>? done = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(action);
        T? result = null;
        _running = true;
        StateHasChanged();
        try
        {
            try
            {
                result = await action(Closing);
                if (done is not null)
                {
                    Snackbar.Add(done(result), DoneSeverity);
                }
            }
            finally
            {
                // Worked or not, show what is stored now: a refusal often means someone else changed it meanwhile.
                await LoadAsync(Closing);
            }
        }
        catch (LynqException problem)
        {
            Snackbar.Add(problem.Message, SeverityOf(problem.Kind));
        }
        finally
        {
            _running = false;
        }

        StateHasChanged();
        return result;
    }

    /// <summary>Reads <see cref="Access"/> from the circuit's sign-in.</summary>
    protected async Task ReadAccessAsync() => Access = await UserAccess.GetAsync();

    /// <summary>Asks before an action that cannot be taken back.</summary>
    /// <returns>True when the person said <paramref name="yes"/>.</returns>
    protected async Task<bool> ConfirmAsync(string question, string consequence, string yes, string no) =>
        await Dialogs.ShowMessageBoxAsync(question, consequence, yesText: yes, cancelText: no) == true;

    /// <summary>Goes to another page; this one stays <see cref="Busy"/> until it is gone.</summary>
    protected void NavigateAway(string uri)
    {
        _leaving = true;
        Navigation.NavigateTo(uri);
    }

    /// <summary>
    /// Follows the job updates that pass <paramref name="filter"/> until the page is disposed: redraws at most every
    /// 100 ms, after <see cref="OnRunsChangedAsync"/>. Calling it again replaces what the page followed before.
    /// </summary>
    protected void FollowRuns(Func<RunUpdate, bool> filter)
    {
        _runs?.Dispose();
        LiveRuns? runs = null;
        runs = Own(new LiveRuns(Hub, Clock, filter, () => InvokeAsync(() => RedrawAsync(runs!))));
        _runs = runs;
    }

    /// <summary>The newest progress of a record: the live one while its run runs, else the stored one.</summary>
    protected JobProgress ProgressOf(Guid id, JobProgress stored) => _runs?.ProgressOf(id, stored) ?? stored;

    /// <summary>Called on the circuit when followed updates arrive, before the redraw. Reloads the page when a run changed status.</summary>
    /// <param name="statusChanged">True when a followed run started, finished or otherwise changed status since the last call.</param>
    /// <param name="cancellationToken"><see cref="LiveComponent.Closing"/>.</param>
    protected virtual Task OnRunsChangedAsync(bool statusChanged, CancellationToken cancellationToken) =>
        statusChanged ? LoadAsync(cancellationToken) : Task.CompletedTask;

    private async Task RedrawAsync(LiveRuns runs)
    {
        try
        {
            await OnRunsChangedAsync(runs.ReloadNeeded(), Closing);
        }
        catch (OperationCanceledException) when (Closing.IsCancellationRequested)
        {
            return; // The page closed while it reloaded.
        }

        StateHasChanged();
    }

    // The result of an action that has none, so both RunActionAsync share one body.
    private sealed class Worked
    {
        public static readonly Worked Value = new();
    }
}

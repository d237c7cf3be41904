using LynqDashboard.Core.Access;
using LynqDashboard.Core.Retraining;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Retraining;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LynqDashboard.Web.Components.Pages;

/// <summary>
/// Retraining schedules: each one's cron in its zone with the next run in the viewer's time, its source and triggers,
/// pause, resume and "run now" (Trainer), a form for a new one that reads the cron back before saving, and the run
/// history that never expires: each run's trigger, times, outcome, the challenger it trained and the request it opened.
/// While a run goes the page re-reads every few seconds.
/// </summary>
public sealed partial class Schedules : DashboardPage
{
    private static readonly TimeSpan RefreshWhileRunning = TimeSpan.FromSeconds(3);

    private readonly ScheduleForm _form = new();
    private IReadOnlyList<RetrainingSchedule> _schedules = [];
    private IReadOnlyList<ScheduleRun> _runs = [];
    private Guid? _selected;
    private bool _loaded;
    private bool _showForm;
    private int? _runTrees;
    private int? _runRows;
    private PeriodicTimer? _timer;

    // After "run now" the run's record appears once a worker takes the job: keep looking for a while.
    private DateTimeOffset _watchUntil;

    [Inject] private RetrainingSchedules Service { get; set; } = null!;

    [Inject] private ScheduleActions Actions { get; set; } = null!;

    [Inject] private ViewerClock Viewer { get; set; } = null!;

    [Inject] private TimeProvider Clock { get; set; } = null!;

    private bool CanEdit => Access.Has(LynqRoles.Trainer);

    private RetrainingSchedule? Selected => _schedules.FirstOrDefault(s => s.Id == _selected);

    private IEnumerable<ScheduleRun> ShownRuns => _selected is { } id ? _runs.Where(r => r.ScheduleId == id) : _runs;

    protected override async Task OnInitializedAsync()
    {
        await ReadAccessAsync();
        await LoadAsync(Closing);
        _ = RefreshWhileRunningAsync();
    }

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        _schedules = await Service.ListAsync(cancellationToken);
        _runs = await Service.HistoryAsync(null, 200, cancellationToken);
        if (_selected is { } id && _schedules.All(s => s.Id != id))
        {
            _selected = null;
        }

        _loaded = true;
    }

    private string NameOf(Guid scheduleId) => _schedules.FirstOrDefault(s => s.Id == scheduleId)?.Name ?? "(removed)";

    private ScheduleRun? LastRunOf(Guid scheduleId) => _runs.FirstOrDefault(r => r.ScheduleId == scheduleId);

    private DateTimeOffset? NextRunOf(RetrainingSchedule schedule) => RetrainingSchedules.NextRun(schedule, Clock.GetUtcNow());

    private (IReadOnlyList<DateTimeOffset> Times, string? Problem) Preview => _form.Preview(Clock.GetUtcNow());

    private async Task CreateAsync()
    {
        var created = await RunActionAsync(token => Actions.CreateAsync(_form.ToDraft(), token),
            s => $"Schedule '{s.Name}' saved; {(RetrainingSchedules.NextRun(s, Clock.GetUtcNow()) is { } next ? $"it next runs {Viewer.Format(next)} ({Viewer.ZoneName})" : "it runs only when triggered")}.");
        if (created is not null)
        {
            _showForm = false;
            _selected = created.Id;
        }
    }

    private Task PauseAsync(RetrainingSchedule schedule) =>
        RunActionAsync(token => Actions.PauseAsync(schedule.Id, token), s => $"'{s.Name}' is paused: its cron and alert triggers stop until it is resumed (a restart keeps the pause).");

    private Task ResumeAsync(RetrainingSchedule schedule) =>
        RunActionAsync(token => Actions.ResumeAsync(schedule.Id, token), s => $"'{s.Name}' runs again{(RetrainingSchedules.NextRun(s, Clock.GetUtcNow()) is { } next ? $", next at {Viewer.Format(next)}" : string.Empty)}.");

    private async Task RunNowAsync(RetrainingSchedule schedule)
    {
        var overrides = _runRows is null && _runTrees is null ? null : new RunOverrides(Rows: _runRows, Trees: _runTrees);
        if (await RunActionAsync(token => Actions.RunNowAsync(schedule.Id, overrides, token),
            _ => $"A run of '{schedule.Name}' is queued. It trains a challenger and, if its gates pass, opens a promotion request; it never promotes.") is not null)
        {
            _selected = schedule.Id;
            (_runRows, _runTrees) = (null, null);
            _watchUntil = Clock.GetUtcNow().AddMinutes(1);
        }
    }

    // The zone starts as the viewer's own: the browser has told it by the time a person clicks.
    private void ToggleForm()
    {
        _showForm = !_showForm;
        if (_showForm && Viewer.IsKnown && !_zoneChosen)
        {
            _form.TimeZone = Viewer.ZoneName;
            _zoneChosen = true;
        }
    }

    private bool _zoneChosen;

    private void Select(Guid? id) => _selected = _selected == id ? null : id;

    private static Color OutcomeColor(ScheduleRunOutcome outcome) => outcome switch
    {
        ScheduleRunOutcome.RequestOpened => Color.Success,
        ScheduleRunOutcome.Running => Color.Info,
        ScheduleRunOutcome.GatesFailed => Color.Warning,
        ScheduleRunOutcome.Failed => Color.Error,
        _ => Color.Default,
    };

    private static string OutcomeText(ScheduleRunOutcome outcome) => outcome switch
    {
        ScheduleRunOutcome.RequestOpened => "Request opened",
        ScheduleRunOutcome.GatesFailed => "Gates failed",
        _ => outcome.ToString(),
    };

    // Runs take minutes and are not RunUpdates: the page re-reads while one goes, and stops when the person leaves.
    private async Task RefreshWhileRunningAsync()
    {
        _timer = Own(new PeriodicTimer(RefreshWhileRunning));
        try
        {
            while (await _timer.WaitForNextTickAsync(Closing))
            {
                if (!Busy && (_runs.Any(r => r.Outcome == ScheduleRunOutcome.Running) || Clock.GetUtcNow() < _watchUntil))
                {
                    await InvokeAsync(async () =>
                    {
                        await LoadAsync(Closing);
                        StateHasChanged();
                    });
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}

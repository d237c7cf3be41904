using MudBlazor;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Web.Live;

/// <summary>
/// One snackbar per finished job, on whatever page the person is: the layout listens for the whole circuit, so
/// pages do not each announce (or forget to announce) the same event.
/// </summary>
public sealed class RunNotices : IDisposable
{
    private readonly IDisposable _subscription;

    /// <param name="hub">Where job updates come from.</param>
    /// <param name="show">Shows one notice on the circuit (RunNoticeFeed posts Snackbar.Add to it).</param>
    public RunNotices(RunUpdateHub hub, Action<string, Severity> show)
    {
        ArgumentNullException.ThrowIfNull(hub);
        _subscription = hub.Subscribe(u => u.IsFinished, u =>
        {
            var (message, severity) = Describe(u);
            show(message, severity);
        });
    }

    /// <summary>The words and colour for a finished job.</summary>
    public static (string Message, Severity Severity) Describe(RunUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        // Version labels (v3) and dataset names are names and keep their case; promotion labels are phrases.
        var label = update.Label is { } named
            ? update.Kind == RunKind.Promotion ? Capitalised(named) : named
            : update.Kind switch { RunKind.Dataset => "A dataset", RunKind.Version => "A training", _ => "A promotion" };
        var reason = string.IsNullOrWhiteSpace(update.Error) ? string.Empty : $": {update.Error}";
        return (update.Kind, update.State) switch
        {
            (RunKind.Dataset, RunState.Succeeded) => ($"Dataset {label} is ready.", Severity.Success),
            (RunKind.Version, RunState.Succeeded) => ($"{label} is trained and ready.", Severity.Success),
            (RunKind.Promotion, RunState.Succeeded) => ($"{label} finished: production moved.", Severity.Success),
            (_, RunState.Cancelled) => ($"{label} was cancelled.", Severity.Warning),
            (_, RunState.Interrupted) => ($"{label} was interrupted{reason}", Severity.Warning),
            _ => ($"{label} failed{reason}", Severity.Error),
        };
    }

    public void Dispose() => _subscription.Dispose();

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}

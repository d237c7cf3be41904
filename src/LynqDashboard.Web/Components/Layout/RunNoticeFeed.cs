using LynqDashboard.Web.Live;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LynqDashboard.Web.Components.Layout;

/// <summary>
/// Shows <see cref="RunNotices"/> (one notice per finished job) on whatever page the person is. MainLayout holds one
/// per circuit; it draws nothing itself.
/// </summary>
public sealed class RunNoticeFeed : LiveComponent
{
    [Inject] private RunUpdateHub Hub { get; set; } = null!;

    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    // Jobs report on their own threads: each notice is shown on this circuit.
    protected override void OnInitialized() =>
        Own(new RunNotices(Hub, (message, severity) => Post(() => Snackbar.Add(message, severity))));
}

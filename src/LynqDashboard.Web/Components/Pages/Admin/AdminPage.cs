using LynqDashboard.Web.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LynqDashboard.Web.Components.Pages.Admin;

/// <summary>An Admin page: it loads when it opens, and its changes are made when the call returns (a Success notice, not Info).</summary>
public abstract class AdminPage : DashboardPage
{
    [Inject] protected AdminActions Admin { get; set; } = null!;

    protected override Severity DoneSeverity => Severity.Success;

    protected override Task OnInitializedAsync() => LoadAsync(Closing);
}

using LynqDashboard.Core.Registry;
using LynqDashboard.Web.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LynqDashboard.Web.Components.Pages.Admin;

/// <summary>The scoring API keys made here: make one (shown once), revoke one.</summary>
public sealed partial class ApiKeys : DashboardPage
{
    private IReadOnlyList<ApiKeyRecord>? _keys;
    private string _name = string.Empty;
    private (string Name, string Key)? _made;

    [Inject] private AdminActions Admin { get; set; } = null!;

    [Inject] private IDialogService Dialogs { get; set; } = null!;

    // An Admin's change is made when the call returns, not queued.
    protected override Severity DoneSeverity => Severity.Success;

    protected override Task OnInitializedAsync() => LoadAsync(Closing);

    protected override async Task LoadAsync(CancellationToken cancellationToken) => _keys = await Admin.ListKeysAsync(cancellationToken);

    // No notice: the key itself is shown, once, beside the form.
    private Task CreateAsync() => RunActionAsync(async _ =>
    {
        var (record, key) = await Admin.CreateKeyAsync(_name);
        (_made, _name) = ((record.Name, key), string.Empty);
    });

    private async Task RevokeAsync(ApiKeyRecord key)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync($"Revoke {key.Name}?", $"Calls with {key.Prefix}… get 401 from now on. This cannot be undone; make a new key instead.", yesText: "Revoke", cancelText: "Keep it");
        if (confirmed == true)
        {
            await RunActionAsync(_ => Admin.RevokeKeyAsync(key.Id), $"{key.Name} revoked.");
        }
    }
}

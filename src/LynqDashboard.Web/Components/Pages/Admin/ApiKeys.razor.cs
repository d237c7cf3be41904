using LynqDashboard.Core.Registry;
using LynqDashboard.Web.Security;

namespace LynqDashboard.Web.Components.Pages.Admin;

/// <summary>The scoring API keys made here: make one (shown once), revoke one.</summary>
public sealed partial class ApiKeys : AdminPage
{
    private IReadOnlyList<ApiKeyRecord>? _keys;
    private string _name = string.Empty;
    private (string Name, string Key)? _made;

    protected override async Task LoadAsync(CancellationToken cancellationToken) => _keys = await Admin.ListKeysAsync(cancellationToken);

    // No notice: the key itself is shown, once, beside the form.
    private Task CreateAsync() => RunActionAsync(async _ =>
    {
        var (record, key) = await Admin.CreateKeyAsync(_name);
        (_made, _name) = ((record.Name, key), string.Empty);
    });

    private async Task RevokeAsync(ApiKeyRecord key)
    {
        if (await ConfirmAsync($"Revoke {key.Name}?", $"Calls with {key.Prefix}… get 401 from now on. This cannot be undone; make a new key instead.", "Revoke", "Keep it"))
        {
            await RunActionAsync(_ => Admin.RevokeKeyAsync(key.Id), $"{key.Name} revoked.");
        }
    }
}

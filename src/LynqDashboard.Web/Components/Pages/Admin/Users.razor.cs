using LynqDashboard.Core.Access;
using LynqDashboard.Web.Security;

namespace LynqDashboard.Web.Components.Pages.Admin;

/// <summary>People and their roles: add one with a one-time password, reset it, lock and unlock, change the role.</summary>
public sealed partial class Users : AdminPage
{
    private IReadOnlyList<UserRow>? _users;
    private string _email = string.Empty;
    private string _role = LynqRoles.Viewer;
    private (string Email, string Password)? _oneTime;

    // Also after a refused change: the role picker must show the stored role again, not the one that was refused.
    protected override async Task LoadAsync(CancellationToken cancellationToken) => _users = await Admin.ListUsersAsync(cancellationToken);

    private async Task AddAsync()
    {
        var email = _email.Trim();
        if (await RunActionAsync(_ => Admin.CreateUserAsync(email, _role), _ => $"{email} added as {_role}.") is { } password)
        {
            (_oneTime, _email) = ((email, password), string.Empty);
        }
    }

    private async Task ResetAsync(UserRow user)
    {
        if (await ConfirmAsync($"Reset the password of {user.Email}?", "Their current password stops working; they sign in with the one-time password shown next and choose a new one.", "Reset", "Keep it")
            && await RunActionAsync(_ => Admin.ResetPasswordAsync(user.Id), _ => $"Password of {user.Email} reset.") is { } password)
        {
            _oneTime = (user.Email, password);
        }
    }

    private Task UnlockAsync(UserRow user) => RunActionAsync(_ => Admin.UnlockAsync(user.Id), $"{user.Email} unlocked.");

    private Task LockAsync(UserRow user) => RunActionAsync(_ => Admin.LockAsync(user.Id), $"{user.Email} locked; open sessions end within a minute.");

    private Task SetRoleAsync(UserRow user, string role) => RunActionAsync(_ => Admin.SetRoleAsync(user.Id, role), $"{user.Email} is now {role}; open sessions follow within a minute.");

    // A lock after wrong passwords ends by itself; an Admin's lock lasts until unlocked.
    private static bool IsTimedLock(UserRow user) => user.LockedUntil is { } until && until.Year < 9000;

    private static string RoleHint(string role) => role switch
    {
        LynqRoles.Viewer => "Sees runs, versions and charts; uses the scoring form.",
        LynqRoles.Trainer => "Viewer, and starts, cancels and retries jobs; edits notes.",
        LynqRoles.Approver => "Trainer, and promotes and rolls back production.",
        _ => "Approver, and manages people, API keys and the job dashboard.",
    };
}

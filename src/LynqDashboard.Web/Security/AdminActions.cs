using LynqDashboard.Core;
using System.Net.Mail;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Registry;
using LynqDashboard.Infrastructure.Identity;
using LynqDashboard.Web.Scoring;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LynqDashboard.Web.Security;

/// <summary>One person as the Users page lists them.</summary>
public sealed record UserRow(string Id, string Email, string? Role, bool LockedOut, DateTimeOffset? LockedUntil, bool MustChangePassword, DateTimeOffset CreatedAt, int FailedAttempts);

/// <summary>
/// What only an Admin may do: people and their roles, one-time passwords, locks, and the scoring API keys.
/// Every change is checked on the server, written to the audit log, and takes effect within a minute in open
/// sessions (the security stamp changes); a lock or a password reset ends the person's sessions at once.
/// </summary>
public sealed class AdminActions(UserAccess access, UserManager<LynqUser> users, IApiKeyStore keys, ApiKeyRing ring, SignInSessions sessions, IAuditLog audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<UserRow>> ListUsersAsync(CancellationToken cancellationToken = default)
    {
        await access.RequireAsync(LynqRoles.Admin, "see users");
        var rows = new List<UserRow>();
        foreach (var user in await users.Users.OrderBy(u => u.Email).ToListAsync(cancellationToken))
        {
            var role = LynqRoles.Highest(await users.GetRolesAsync(user));
            var locked = user.LockoutEnd is { } end && end > clock.GetUtcNow();
            rows.Add(new UserRow(user.Id, user.Email ?? user.UserName ?? "?", role, locked, locked ? user.LockoutEnd : null, user.MustChangePassword, user.CreatedAt, user.AccessFailedCount));
        }

        return rows;
    }

    /// <summary>Creates a person with a one-time password, returned to be shown once.</summary>
    public async Task<string> CreateUserAsync(string email, string role)
    {
        var by = await access.RequireAsync(LynqRoles.Admin, "add users");
        var address = (email ?? string.Empty).Trim();
        if (!MailAddress.TryCreate(address, out _))
        {
            throw LynqException.Invalid("email", $"'{address}' is not an e-mail address.");
        }

        RequireRole(role);
        if (await users.FindByEmailAsync(address) is not null)
        {
            throw LynqException.Invalid("email", $"{address} already has an account.");
        }

        var password = OneTimePassword.Create();
        var user = new LynqUser { UserName = address, Email = address, EmailConfirmed = true, MustChangePassword = true, CreatedAt = clock.GetUtcNow() };
        Check(await users.CreateAsync(user, password));
        Check(await users.AddToRoleAsync(user, role));
        await AuditAsync(by, "user.created", address, $"role {role}; one-time password");
        return password;
    }

    public async Task SetRoleAsync(string userId, string role)
    {
        var by = await access.RequireAsync(LynqRoles.Admin, "change roles");
        RequireRole(role);
        var user = await FindAsync(userId);
        var current = await users.GetRolesAsync(user);
        if (current.Contains(LynqRoles.Admin) && role != LynqRoles.Admin && await IsLastAdminAsync(user))
        {
            throw LynqException.Conflict($"{user.Email} is the last Admin; make someone else Admin first.");
        }

        Check(await users.RemoveFromRolesAsync(user, current));
        Check(await users.AddToRoleAsync(user, role));
        Check(await users.UpdateSecurityStampAsync(user));
        await AuditAsync(by, "user.role_changed", user.Email!, $"{string.Join(",", current)} → {role}");
    }

    public async Task LockAsync(string userId)
    {
        var by = await access.RequireAsync(LynqRoles.Admin, "lock accounts");
        var user = await FindAsync(userId);
        if (string.Equals(user.Email, by, StringComparison.OrdinalIgnoreCase))
        {
            throw LynqException.Conflict("You cannot lock your own account.");
        }

        if (await users.IsInRoleAsync(user, LynqRoles.Admin) && await IsLastAdminAsync(user))
        {
            throw LynqException.Conflict($"{user.Email} is the last Admin and cannot be locked.");
        }

        Check(await users.SetLockoutEnabledAsync(user, true));
        Check(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue));
        Check(await users.UpdateSecurityStampAsync(user));
        await sessions.EndAllAsync(user.Id, "locked", CancellationToken.None);
        await AuditAsync(by, "user.locked", user.Email!, "locked until an Admin unlocks");
    }

    public async Task UnlockAsync(string userId)
    {
        var by = await access.RequireAsync(LynqRoles.Admin, "unlock accounts");
        var user = await FindAsync(userId);
        Check(await users.SetLockoutEndDateAsync(user, null));
        Check(await users.ResetAccessFailedCountAsync(user));
        await AuditAsync(by, "user.unlocked", user.Email!, string.Empty);
    }

    /// <summary>Replaces a person's password with a one-time one, returned to be shown once.</summary>
    public async Task<string> ResetPasswordAsync(string userId)
    {
        var by = await access.RequireAsync(LynqRoles.Admin, "reset passwords");
        var user = await FindAsync(userId);
        var password = OneTimePassword.Create();
        Check(await users.RemovePasswordAsync(user));
        Check(await users.AddPasswordAsync(user, password));
        user.MustChangePassword = true;
        Check(await users.UpdateAsync(user));
        Check(await users.UpdateSecurityStampAsync(user));
        await sessions.EndAllAsync(user.Id, "password reset", CancellationToken.None);
        await AuditAsync(by, "user.password_reset", user.Email!, "one-time password issued");
        return password;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken = default)
    {
        await access.RequireAsync(LynqRoles.Admin, "see API keys");
        return await keys.ListAsync(cancellationToken);
    }

    /// <summary>Makes a scoring API key; the key itself is returned once and stored only as its SHA-256.</summary>
    public async Task<(ApiKeyRecord Record, string Key)> CreateKeyAsync(string name)
    {
        var by = await access.RequireAsync(LynqRoles.Admin, "make API keys");
        var label = (name ?? string.Empty).Trim();
        if (label.Length is < 3 or > 100)
        {
            throw LynqException.Invalid("name", "Name the key by what uses it (3 to 100 characters), e.g. \"lending backend prod\".");
        }

        var key = ApiKeyRing.NewKey();
        var record = new ApiKeyRecord { Name = label, Prefix = key[..9], Sha256 = ApiKeyRing.Sha256Hex(key), CreatedAt = clock.GetUtcNow(), CreatedBy = by };
        await keys.AddAsync(record);
        await ApiKeyRefreshService.ReloadAsync(ring, keys, CancellationToken.None);
        await AuditAsync(by, "apikey.created", $"{label} ({record.Prefix}…)", string.Empty);
        return (record, key);
    }

    public async Task RevokeKeyAsync(Guid id)
    {
        var by = await access.RequireAsync(LynqRoles.Admin, "revoke API keys");
        var record = (await keys.ListAsync()).FirstOrDefault(k => k.Id == id) ?? throw LynqException.NotFound("That key does not exist.", "key");
        if (!await keys.RevokeAsync(id, by, clock.GetUtcNow()))
        {
            throw LynqException.Conflict($"{record.Name} is already revoked.");
        }

        await ApiKeyRefreshService.ReloadAsync(ring, keys, CancellationToken.None);
        await AuditAsync(by, "apikey.revoked", $"{record.Name} ({record.Prefix}…)", string.Empty);
    }

    private async Task<LynqUser> FindAsync(string userId) =>
        await users.FindByIdAsync(userId) ?? throw LynqException.NotFound("That account no longer exists.", "user");

    private async Task<bool> IsLastAdminAsync(LynqUser user)
    {
        var admins = await users.GetUsersInRoleAsync(LynqRoles.Admin);
        return admins.Count(a => a.LockoutEnd is null || a.LockoutEnd <= clock.GetUtcNow()) <= 1 && admins.Any(a => a.Id == user.Id);
    }

    private static void RequireRole(string role)
    {
        if (!LynqRoles.IsRole(role))
        {
            throw LynqException.Invalid("role", $"'{role}' is not a role; choose {string.Join(", ", LynqRoles.All)}.");
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw LynqException.Invalid([.. result.Errors.Select(e => new FieldProblem(e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "account", e.Description))]);
        }
    }

    private Task AuditAsync(string actor, string action, string subject, string detail) =>
        audit.AppendAsync(new AuditEvent { At = clock.GetUtcNow(), Actor = actor, Action = action, Subject = subject, Detail = detail });
}

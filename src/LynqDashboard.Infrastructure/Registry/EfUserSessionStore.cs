using LynqDashboard.Core.Access;
using Microsoft.EntityFrameworkCore;

namespace LynqDashboard.Infrastructure.Registry;

/// <summary>Sign-in sessions on EF Core; every call is one short statement, since the cookie check runs per request.</summary>
public sealed class EfUserSessionStore(IDbContextFactory<RegistryDbContext> contexts) : IUserSessionStore
{
    public async Task AddAsync(UserSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<UserSession?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.UserSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public async Task TouchAsync(Guid id, DateTimeOffset seenAt, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.UserSessions.Where(s => s.Id == id && s.EndedAt == null && s.ExpiresAt > seenAt)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.LastSeenAt, seenAt).SetProperty(s => s.ExpiresAt, expiresAt), cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> EndAsync(Guid id, DateTimeOffset at, string reason, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.UserSessions.Where(s => s.Id == id && s.EndedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.EndedAt, at).SetProperty(s => s.EndReason, reason), cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<int> EndAllAsync(string userId, DateTimeOffset at, string reason, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.UserSessions.Where(s => s.UserId == userId && s.EndedAt == null && s.ExpiresAt > at)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.EndedAt, at).SetProperty(s => s.EndReason, reason), cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> DeleteOverAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.UserSessions.Where(s => s.ExpiresAt < before || s.EndedAt < before).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }
}

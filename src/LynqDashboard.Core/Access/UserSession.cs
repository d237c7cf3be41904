namespace LynqDashboard.Core.Access;

/// <summary>
/// One signed-in browser, kept on the server: its cookie names it, and the cookie counts only while this record
/// is active, so signing out ends that browser's session in every process at once (a copied cookie stops working)
/// while the person's other browsers stay signed in.
/// </summary>
public sealed class UserSession
{
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <summary>The account (Identity's user id).</summary>
    public required string UserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The last request seen with this session (written at most about once a minute).</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>When it ends unless used again: the last use plus Lynq:Auth:SessionHours.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Set when it was ended on purpose (sign-out, a lock, a password reset).</summary>
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Why it ended ("signout", "locked", "password reset", "replaced").</summary>
    public string? EndReason { get; set; }

    public bool IsActiveAt(DateTimeOffset now) => EndedAt is null && ExpiresAt > now;
}

/// <summary>Where sessions live: the registry database, shared by every web process.</summary>
public interface IUserSessionStore
{
    Task AddAsync(UserSession session, CancellationToken cancellationToken = default);

    Task<UserSession?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Records a use: moves the expiry to <paramref name="expiresAt"/> while the session is still active.</summary>
    Task TouchAsync(Guid id, DateTimeOffset seenAt, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Ends one session; false when it was not active.</summary>
    Task<bool> EndAsync(Guid id, DateTimeOffset at, string reason, CancellationToken cancellationToken = default);

    /// <summary>Ends every active session of an account; returns how many.</summary>
    Task<int> EndAllAsync(string userId, DateTimeOffset at, string reason, CancellationToken cancellationToken = default);

    /// <summary>Deletes sessions that expired or ended before <paramref name="before"/>.</summary>
    Task<int> DeleteOverAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}

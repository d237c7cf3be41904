namespace LynqDashboard.Core.Registry;

/// <summary>One line of the append-only audit log: who did what to which thing, and when.</summary>
public sealed class AuditEvent
{
    /// <summary>Assigned by the store, increasing.</summary>
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>Who: a user name or e-mail, "cli:user@host", or "system".</summary>
    public required string Actor { get; set; }

    /// <summary>What, as a dotted verb: promotion.requested, promotion.succeeded, rollback.failed …</summary>
    public required string Action { get; set; }

    /// <summary>To what: "v3", "s3://bucket/models/production.json" …</summary>
    public required string Subject { get; set; }

    /// <summary>Details for people; never a secret.</summary>
    public string Detail { get; set; } = string.Empty;
}

/// <summary>The audit log: events can be added and read, never changed or removed.</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditEvent entry, CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<AuditEvent>> ListAsync(int skip = 0, int take = 100, CancellationToken cancellationToken = default);
}

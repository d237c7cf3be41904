namespace LynqDashboard.Core.Registry;

/// <summary>
/// A scoring API key made in the dashboard. Only its SHA-256 is stored; the key itself is shown once, when made.
/// </summary>
public sealed class ApiKeyRecord
{
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <summary>What it is for ("lending backend prod").</summary>
    public required string Name { get; set; }

    /// <summary>The key's first characters ("lynq_Ab3x"), enough to tell keys apart, too few to use.</summary>
    public required string Prefix { get; set; }

    /// <summary>Lower-case hex SHA-256 of the whole key.</summary>
    public required string Sha256 { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevokedBy { get; set; }

    public bool IsActive => RevokedAt is null;
}

/// <summary>Where API key records live.</summary>
public interface IApiKeyStore
{
    Task AddAsync(ApiKeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>All keys, newest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Marks a key revoked; false when it does not exist or was already revoked.</summary>
    Task<bool> RevokeAsync(Guid id, string by, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Stores when keys were last used (batched: the scoring path never waits for it).</summary>
    Task RecordUseAsync(IReadOnlyDictionary<Guid, DateTimeOffset> lastUsed, CancellationToken cancellationToken = default);
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using LynqDashboard.Core.Registry;
using LynqDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Scoring;

/// <summary>
/// The accepted API keys, held only as SHA-256 hashes: the ones from configuration (Lynq:Scoring:ApiKeys,
/// LYNQ_API_KEYS) and the active ones an Admin made in the dashboard. A presented key is hashed and compared with
/// every stored hash in constant time, so neither a match nor its position leaks through timing. Keys are never
/// logged. Use of dashboard keys is counted in memory and stored in batches, off the scoring path.
/// </summary>
public sealed class ApiKeyRing
{
    public const string Header = "X-API-KEY";

    /// <summary>The list of keys the environment adds (comma-separated).</summary>
    public const string EnvironmentVariable = "LYNQ_API_KEYS";

    /// <summary>Shortest key accepted from configuration or the environment.</summary>
    public const int MinimumLength = 16;

    /// <summary>What every key made in the dashboard starts with.</summary>
    public const string KeyPrefix = "lynq_";

    private readonly byte[][] _configured;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _used = new();
    private StoredKey[] _stored = [];

    public ApiKeyRing(IOptions<ScoringOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clock = clock;
        _configured = [.. options.Value.ApiKeys.Concat(KeysFromEnvironment()).Distinct(StringComparer.Ordinal).Select(Hash)];
    }

    public int Count => _configured.Length + Volatile.Read(ref _stored).Length;

    public bool IsValid(string? presented) => IsValid(presented, out _);

    /// <summary>Checks a key and names it for the decision ledger: a dashboard key by its name, a configured one as "configured-" and its hash's first 8 hex digits.</summary>
    public bool IsValid(string? presented, out string name)
    {
        name = string.Empty;
        var stored = Volatile.Read(ref _stored);
        if (string.IsNullOrEmpty(presented) || (_configured.Length == 0 && stored.Length == 0))
        {
            return false;
        }

        var hash = Hash(presented);
        var match = false;
        foreach (var candidate in _configured)
        {
            match |= CryptographicOperations.FixedTimeEquals(hash, candidate);
        }

        Guid? matched = null;
        foreach (var candidate in stored)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, candidate.Hash))
            {
                (matched, name) = (candidate.Id, candidate.Name);
            }
        }

        if (matched is { } id)
        {
            _used[id] = _clock.GetUtcNow();
        }
        else if (match)
        {
            name = "configured-" + Convert.ToHexStringLower(hash.AsSpan(0, 4));
        }

        return match || matched is not null;
    }

    /// <summary>Replaces the dashboard keys with these (the active ones); revoked keys stop working at once in this process.</summary>
    public void Load(IEnumerable<ApiKeyRecord> active) =>
        Volatile.Write(ref _stored, [.. active.Where(k => k.IsActive).Select(k => new StoredKey(k.Id, k.Name, Convert.FromHexString(k.Sha256)))]);

    /// <summary>When each dashboard key was last used since the previous call; the caller stores them.</summary>
    public IReadOnlyDictionary<Guid, DateTimeOffset> TakeUsage()
    {
        var taken = new Dictionary<Guid, DateTimeOffset>();
        foreach (var id in _used.Keys)
        {
            if (_used.TryRemove(id, out var at))
            {
                taken[id] = at;
            }
        }

        return taken;
    }

    /// <summary>The keys in LYNQ_API_KEYS (validated at start with the configured ones).</summary>
    public static IReadOnlyList<string> KeysFromEnvironment() =>
        (Environment.GetEnvironmentVariable(EnvironmentVariable) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A new key: the prefix and 256 random bits, URL-safe.</summary>
    public static string NewKey() => KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Lower-case hex SHA-256 of a key, as stored.</summary>
    public static string Sha256Hex(string key) => Convert.ToHexStringLower(Hash(key));

    /// <summary>A short, non-reversible name for a key (rate-limit partitions, logs).</summary>
    public static string Fingerprint(string? presented) =>
        string.IsNullOrEmpty(presented) ? "anonymous" : Convert.ToHexStringLower(Hash(presented))[..12];

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private sealed record StoredKey(Guid Id, string Name, byte[] Hash);
}

/// <summary>Keeps the ring in step with the keys in the registry (other processes' changes arrive within 15 s) and stores last-used times.</summary>
public sealed class ApiKeyRefreshService(ApiKeyRing ring, IApiKeyStore store, TimeProvider clock, ILogger<ApiKeyRefreshService> logger)
    : Hosting.PeriodicService(clock, logger)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(15);

    /// <summary>Reloads the active keys now (after a key was made or revoked here).</summary>
    public static async Task ReloadAsync(ApiKeyRing ring, IApiKeyStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(store);
        ring.Load(await store.ListAsync(cancellationToken));
    }

    protected override TimeSpan Interval => RefreshInterval;

    protected override string Work => "Refreshing the API keys (the previous set stays in force)";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(ring, store, cancellationToken);
        await store.RecordUseAsync(ring.TakeUsage(), cancellationToken);
    }

    protected override Task StoppedAsync() => store.RecordUseAsync(ring.TakeUsage(), CancellationToken.None);
}

using System.Security.Cryptography;
using System.Text;
using LynqDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Scoring;

/// <summary>
/// The accepted API keys, held only as SHA-256 hashes. A presented key is hashed and compared with every stored
/// hash in constant time, so neither a match nor its position leaks through timing. Keys are never logged.
/// </summary>
public sealed class ApiKeyRing
{
    public const string Header = "X-API-KEY";

    private readonly byte[][] _hashes;

    public ApiKeyRing(IOptions<ScoringOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var fromEnvironment = (Environment.GetEnvironmentVariable("LYNQ_API_KEYS") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        _hashes = [.. options.Value.ApiKeys.Concat(fromEnvironment).Distinct(StringComparer.Ordinal).Select(Hash)];
    }

    public int Count => _hashes.Length;

    public bool IsValid(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || _hashes.Length == 0)
        {
            return false;
        }

        var hash = Hash(presented);
        var match = false;
        foreach (var stored in _hashes)
        {
            match |= CryptographicOperations.FixedTimeEquals(hash, stored);
        }

        return match;
    }

    /// <summary>A short, non-reversible name for a key (rate-limit partitions, logs).</summary>
    public static string Fingerprint(string? presented) =>
        string.IsNullOrEmpty(presented) ? "anonymous" : Convert.ToHexStringLower(Hash(presented))[..12];

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

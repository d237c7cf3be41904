using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;

namespace LynqDashboard.Web.Scoring;

/// <summary>
/// Scored CSVs waiting to be downloaded: kept in memory for 30 minutes under an unguessable token, at most
/// 200 MB in all, so a forgotten download cannot fill the server.
/// </summary>
public sealed class ScoredFiles : IDisposable
{
    private readonly MemoryCache _files = new(new MemoryCacheOptions { SizeLimit = 200L << 20 });

    public string Put(byte[] csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _files.Set(token, csv, new MemoryCacheEntryOptions { Size = csv.Length, AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(30) });
        return token;
    }

    public byte[]? Get(string token) => _files.TryGetValue(token, out byte[]? csv) ? csv : null;

    public void Dispose() => _files.Dispose();
}

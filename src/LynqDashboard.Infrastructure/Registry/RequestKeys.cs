namespace LynqDashboard.Infrastructure.Registry;

/// <summary>
/// The ledger's index key of a request id (column request_key); a lookup compares the id itself as well, so two ids
/// with the same key never mix.
/// <para>
/// An id that begins with a time-ordered UUID (version 7, as this app makes them: 32 hex digits or the 36-character
/// dashed form) keys by that UUID's millisecond timestamp, with 12 bits of the id's hash below it. Decisions arrive in
/// time order, so their keys do too and every insert lands on the index's last page. A random key (any other id: the
/// id's 64-bit FNV-1a hash) sends each insert to a page of its own, and every transaction then rewrites about one 4 KB
/// index page per decision: the ledger's largest cost on the scoring cores, growing with the table.
/// </para>
/// <para>
/// Rows stored before the time-ordered keys carry the hash for every id: <see cref="Candidates"/> gives a lookup both.
/// </para>
/// </summary>
internal static class RequestKeys
{
    private const ulong Offset = 14695981039346656037;
    private const ulong Prime = 1099511628211;
    private const ulong HashBits = 0xFFF;

    public static long Of(string requestId) => Of(requestId, Hash(requestId));

    /// <summary>Every key a stored decision with this id may carry: <see cref="Of"/>, and the plain hash older rows have.</summary>
    public static IEnumerable<long> Candidates(string requestId)
    {
        var hash = Hash(requestId);
        var key = Of(requestId, hash);
        return key == hash ? [key] : [key, hash];
    }

    /// <summary>The 64-bit FNV-1a hash of the id's UTF-16 code units (the key of every id before time-ordered keys).</summary>
    public static long Hash(string requestId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        var hash = Offset;
        foreach (var c in requestId)
        {
            hash = (hash ^ c) * Prime;
        }

        return unchecked((long)hash);
    }

    private static long Of(string requestId, long hash) =>
        TimeOrderedPrefix(requestId) is { } high ? unchecked((long)((high & ~HashBits) | ((ulong)hash & HashBits))) : hash;

    // The UUID's first 64 bits (48-bit Unix milliseconds, version 7, 12 random bits) when the id starts with a version-7
    // UUID and either ends there or goes on after a '-' (a batch item's "{id}-{index}"); otherwise null.
    private static ulong? TimeOrderedPrefix(string id)
    {
        var dashed = id.Length >= 36 && id[8] == '-' && id[13] == '-' && id[18] == '-' && id[23] == '-';
        var length = dashed ? 36 : 32;
        if (id.Length < length || (id.Length > length && id[length] != '-'))
        {
            return null;
        }

        ulong high = 0;
        var digits = 0;
        for (var i = 0; i < length; i++)
        {
            if (dashed && i is 8 or 13 or 18 or 23)
            {
                continue;
            }

            var value = HexValue(id[i]);
            if (value < 0)
            {
                return null;
            }

            if (digits++ < 16)
            {
                high = (high << 4) | (uint)value;
            }
        }

        // Version 7 in the 13th digit; a timestamp that fits in 47 bits keeps the key positive (until the year 6429).
        return ((high >> 12) & 0xF) == 7 && (high >> 63) == 0 ? high : null;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}

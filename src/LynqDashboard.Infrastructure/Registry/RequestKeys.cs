namespace LynqDashboard.Infrastructure.Registry;

/// <summary>
/// The ledger's index key of a request id: its 64-bit FNV-1a hash. Callers' ids are random (UUIDs), and an index of
/// random text costs the insert of every decision several microseconds more than one of integers; a lookup compares
/// the id itself as well, so two ids with the same key never mix.
/// </summary>
internal static class RequestKeys
{
    private const ulong Offset = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static long Of(string requestId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        var hash = Offset;
        foreach (var c in requestId)
        {
            hash = (hash ^ c) * Prime;
        }

        return unchecked((long)hash);
    }
}

using System.Net;
using System.Net.Sockets;

namespace LynqDashboard.Web.Security;

/// <summary>
/// Who is calling, as throttling counts them: the connection's address after the trusted proxies' forwarded headers
/// were applied (see <see cref="ProxyOptions"/>), IPv4 as is and IPv6 by its /64 (one subscriber's network).
/// </summary>
public static class ClientAddress
{
    public const string Unknown = "unknown";

    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Of(context.Connection.RemoteIpAddress);
    }

    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes).ToString() + "/64";
    }
}

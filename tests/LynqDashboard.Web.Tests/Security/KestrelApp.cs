using System.Net;
using System.Net.Sockets;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Security;

/// <summary>
/// The app on real Kestrel (127.0.0.1, a free port) with clients that connect from a chosen loopback address
/// (127.0.0.2, 127.0.0.3 ...; Linux routes all of 127/8 to lo), so the client addresses the app sees are real.
/// </summary>
public sealed class KestrelApp : IAsyncDisposable
{
    private readonly DashboardFactory _factory;
    private readonly WebApplicationFactory<Program> _app;

    private KestrelApp(DashboardFactory factory, WebApplicationFactory<Program> app, Uri address)
    {
        (_factory, _app, Address) = (factory, app, address);
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="factory">The configured app (settings, data folder); disposed with this.</param>
    /// <param name="services">Test replacements (a manual clock).</param>
    public static KestrelApp Start(DashboardFactory factory, Action<IServiceCollection>? services = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var app = services is null ? (WebApplicationFactory<Program>)factory : factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services));
        app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KestrelApp(factory, app, new Uri(address));
    }

    /// <summary>A client connecting from <paramref name="from"/>; it keeps cookies unless told not to, and never follows redirects.</summary>
    public HttpClient Client(string from = "127.0.0.1", bool cookies = true)
    {
        var source = IPAddress.Parse(from);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = cookies,
            CookieContainer = new CookieContainer(),
            ConnectCallback = async (context, cancel) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancel);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = Address };
    }

    public async ValueTask DisposeAsync()
    {
        if (!ReferenceEquals(_app, _factory))
        {
            await _app.DisposeAsync();
        }

        await _factory.DisposeAsync();
    }
}

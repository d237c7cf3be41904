using System.Net;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Endpoints;

/// <summary>
/// The app on real Kestrel (127.0.0.1, a free port) with one API key and a model trained through the real job
/// server, serving once ready: requests go through sockets, HTTP parsing and body-size limits as in production.
/// The rate limit is raised so tens of thousands of requests in a minute measure the endpoints, not the limiter.
/// </summary>
public sealed class KestrelScoringFixture : IAsyncLifetime
{
    public const string Key = ScoringApiFixture.Key;

    public DashboardFactory Factory { get; } = new()
    {
        Settings = { ["Lynq:Scoring:ApiKeys:0"] = Key, ["Lynq:Scoring:PermitsPerMinute"] = "10000000" },
    };

    /// <summary>A client of the real server, sending the key; shared, so its connections are reused.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>Where the server listens, e.g. http://127.0.0.1:41234.</summary>
    public Uri Address { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        Factory.StartServer();
        Address = new Uri(Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Add("X-API-KEY", Key);

        await ServedVersion.TrainAndServeAsync(Factory.Services);
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        await Factory.DisposeAsync();
    }
}

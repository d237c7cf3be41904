using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Registry;
using LynqDashboard.Web.Configuration;
using LynqDashboard.Web.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Tests.Monitoring;

/// <summary>The webhook against a real local HTTP listener that answers as the test says.</summary>
public sealed class AlertWebhookTests
{
    [Fact]
    public async Task Publish_ListenerFailsTwiceThenTakesIt_PostsExactlyThreeTimesWithTheAlerts()
    {
        using var hook = new ScriptedListener(HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway, HttpStatusCode.OK);
        var audit = new ListAudit();

        await Webhook(hook.Url, retries: 3, audit).PublishAsync(Snapshot(), TestContext.Current.CancellationToken);

        Assert.Equal(3, hook.Bodies.Count);
        using var body = JsonDocument.Parse(hook.Bodies[^1]);
        Assert.Equal("7", body.RootElement.GetProperty("version").GetString());
        var alert = Assert.Single(body.RootElement.GetProperty("alerts").EnumerateArray());
        Assert.Equal("psi", alert.GetProperty("kind").GetString());
        Assert.Equal("wallet_age_days", alert.GetProperty("feature").GetString());
        Assert.Empty(audit.Events);
    }

    [Fact]
    public async Task Publish_ListenerAlwaysFails_GivesUpWithoutThrowingAndAuditsIt()
    {
        using var hook = new ScriptedListener(HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError);
        var audit = new ListAudit();

        await Webhook(hook.Url, retries: 1, audit).PublishAsync(Snapshot(), TestContext.Current.CancellationToken);

        Assert.Equal(2, hook.Bodies.Count);
        Assert.Equal("monitoring.webhook_failed", Assert.Single(audit.Events).Action);
    }

    [Fact]
    public async Task Publish_NoAlerts_PostsNothing()
    {
        using var hook = new ScriptedListener(HttpStatusCode.OK);

        await Webhook(hook.Url, retries: 3, new ListAudit()).PublishAsync(Snapshot() with { Alerts = [] }, TestContext.Current.CancellationToken);

        Assert.Empty(hook.Bodies);
    }

    private static AlertWebhook Webhook(string url, int retries, IAuditLog audit)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(AlertWebhook.ClientName);
        var clients = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        return new AlertWebhook(clients, Options.Create(new MonitoringOptions { WebhookUrl = url, WebhookRetries = retries }),
            new AlertWebhookTiming(TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(5)), audit, TimeProvider.System, NullLogger<AlertWebhook>.Instance);
    }

    private static MonitoringSnapshot Snapshot()
    {
        var at = DateTimeOffset.UtcNow;
        return new MonitoringSnapshot(Guid.NewGuid(), 7, "7", at, at.AddDays(-30), at, 100, 0, 0.02, new Dictionary<string, double> { ["wallet_age_days"] = 0.4 },
            [], [], [], [new MonitoringAlert(MonitoringAlertKind.Psi, "wallet_age_days", 0.4, 0.25, "wallet_age_days has moved")], new MonitoringThresholds(), 0.1);
    }

    private sealed class ListAudit : IAuditLog
    {
        public List<AuditEvent> Events { get; } = [];

        public Task AppendAsync(AuditEvent entry, CancellationToken cancellationToken = default)
        {
            Events.Add(entry);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<AuditEvent>> ListAsync(int skip = 0, int take = 100, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<AuditEvent>>(Events);
    }

    /// <summary>An HTTP listener on a free loopback port that answers each request with the next status of its script.</summary>
    private sealed class ScriptedListener : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Queue<HttpStatusCode> _script;

        public ScriptedListener(params HttpStatusCode[] script)
        {
            _script = new Queue<HttpStatusCode>(script);
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/hook/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public List<string> Bodies { get; } = [];

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using (var reader = new StreamReader(context.Request.InputStream))
                {
                    var body = await reader.ReadToEndAsync();
                    lock (Bodies)
                    {
                        Bodies.Add(body);
                    }
                }

                context.Response.StatusCode = (int)(_script.Count > 0 ? _script.Dequeue() : HttpStatusCode.OK);
                context.Response.Close();
            }
        }
    }
}

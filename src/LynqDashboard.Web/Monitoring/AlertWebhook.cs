using System.Net.Http.Json;
using System.Text.Json;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Registry;
using LynqDashboard.Web.Configuration;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace LynqDashboard.Web.Monitoring;

/// <summary>How patient the webhook is: the first retry's delay (doubling after) and the limit on each attempt.</summary>
public sealed record AlertWebhookTiming(TimeSpan FirstRetryDelay, TimeSpan AttemptTimeout)
{
    public static AlertWebhookTiming Default { get; } = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
}

/// <summary>
/// POSTs a snapshot's alerts to Lynq:Monitoring:WebhookUrl as JSON, retrying Lynq:Monitoring:WebhookRetries times with
/// exponential back-off. Never throws into the job: the last failure is logged and written to the audit log.
/// </summary>
public sealed class AlertWebhook : IMonitoringAlertSink
{
    /// <summary>The named HttpClient it posts with.</summary>
    public const string ClientName = "monitoring-webhook";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly IHttpClientFactory _clients;
    private readonly MonitoringOptions _options;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _clock;
    private readonly ILogger<AlertWebhook> _logger;
    private readonly ResiliencePipeline _pipeline;

    public AlertWebhook(IHttpClientFactory clients, IOptions<MonitoringOptions> options, AlertWebhookTiming timing, IAuditLog audit, TimeProvider clock, ILogger<AlertWebhook> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timing);
        (_clients, _options, _audit, _clock, _logger) = (clients, options.Value, audit, clock, logger);
        var builder = new ResiliencePipelineBuilder { TimeProvider = clock };
        if (_options.WebhookRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.WebhookRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = timing.FirstRetryDelay,
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutRejectedException>(),
                OnRetry = retry =>
                {
                    _logger.LogInformation("The monitoring webhook failed (attempt {Attempt}: {Problem}); retrying in {Delay:0.#} s",
                        retry.AttemptNumber + 1, retry.Outcome.Exception?.Message, retry.RetryDelay.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
            });
        }

        _pipeline = builder.AddTimeout(timing.AttemptTimeout).Build();
    }

    /// <summary>The body sent: the version, when the snapshot was computed, its alerts.</summary>
    public sealed record Payload(string Version, DateTimeOffset At, IReadOnlyList<PayloadAlert> Alerts, string? DashboardUrl);

    public sealed record PayloadAlert(string Kind, string? Feature, double Value, double Limit, string Message);

    public async Task PublishAsync(MonitoringSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Alerts.Count == 0 || string.IsNullOrWhiteSpace(_options.WebhookUrl))
        {
            return;
        }

        var payload = new Payload(MonitoringMetrics.VersionLabel(snapshot), snapshot.At,
            [.. snapshot.Alerts.Select(a => new PayloadAlert(MonitoringMetrics.KindLabel(a.Kind), a.Feature, a.Value, a.Limit, a.Message))], null);
        try
        {
            await _pipeline.ExecuteAsync(async token =>
            {
                using var response = await _clients.CreateClient(ClientName).PostAsJsonAsync(_options.WebhookUrl, payload, Json, token).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(e, "The monitoring webhook {Url} did not take the {Count} alert(s) of version {Version} after {Attempts} attempt(s)",
                _options.WebhookUrl, payload.Alerts.Count, payload.Version, _options.WebhookRetries + 1);
            await AuditFailureAsync(payload, e).ConfigureAwait(false);
        }
    }

    private async Task AuditFailureAsync(Payload payload, Exception problem)
    {
        try
        {
            await _audit.AppendAsync(new AuditEvent
            {
                At = _clock.GetUtcNow(),
                Actor = "system",
                Action = "monitoring.webhook_failed",
                Subject = int.TryParse(payload.Version, out _) ? $"v{payload.Version}" : payload.Version,
                Detail = $"{payload.Alerts.Count} alert(s) not delivered after {_options.WebhookRetries + 1} attempt(s): {problem.Message}",
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "The failed monitoring webhook could not be written to the audit log either");
        }
    }
}

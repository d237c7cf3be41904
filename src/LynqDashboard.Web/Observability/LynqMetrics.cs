using System.Diagnostics;
using Hangfire;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using Prometheus;

namespace LynqDashboard.Web.Observability;

/// <summary>
/// What /metrics reports, in Prometheus text format: scoring requests and latency, fallback answers, the model in
/// use, Hangfire's queued/running/failed jobs, training duration and promotion outcomes, plus process metrics.
/// Each process has its own registry (tests start several apps in one process; nothing here is static).
/// </summary>
public sealed class LynqMetrics
{
    private readonly Counter _scoringRequests;
    private readonly Histogram _scoringLatency;
    private readonly Counter _fallbacks;
    private readonly Gauge _modelInUse;
    private readonly Gauge _jobs;
    private readonly Histogram _training;
    private readonly Counter _promotions;
    private readonly Counter _throttled;
    private readonly Lock _modelGate = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, EndpointChildren> _children = new(StringComparer.Ordinal);
    private string[]? _modelLabels;

    public LynqMetrics(IServiceProvider services)
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _scoringRequests = factory.CreateCounter("lynq_scoring_requests_total", "Scoring API requests by endpoint and HTTP status.",
            new CounterConfiguration { LabelNames = ["endpoint", "status"] });
        _scoringLatency = factory.CreateHistogram("lynq_scoring_request_duration_seconds", "Scoring API request latency, from the first byte read to the last written.",
            new HistogramConfiguration { LabelNames = ["endpoint"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
        _fallbacks = factory.CreateCounter("lynq_scoring_fallback_total", "Scoring requests answered by the rule-based fallback because no model was loaded.",
            new CounterConfiguration { LabelNames = ["endpoint"] });
        _modelInUse = factory.CreateGauge("lynq_model_in_use", "1 for the model version this process scores with (version \"fallback\" when none is loaded).",
            new GaugeConfiguration { LabelNames = ["version", "source", "selection"] });
        _jobs = factory.CreateGauge("lynq_jobs", "Background jobs in the shared job storage by state (queued, running, failed, scheduled).",
            new GaugeConfiguration { LabelNames = ["state"] });
        _training = factory.CreateHistogram("lynq_training_duration_seconds", "Wall time of training jobs run by this process, by how they ended.",
            new HistogramConfiguration { LabelNames = ["outcome"], Buckets = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 3600] });
        _promotions = factory.CreateCounter("lynq_promotions_total", "Promotions and rollbacks run by this process, by kind and outcome.",
            new CounterConfiguration { LabelNames = ["kind", "outcome"] });
        _throttled = factory.CreateCounter("lynq_auth_throttled_total", "Requests refused because their address or account failed too often: 429s for wrong API keys or failed sign-ins from one address, and answers that an account is locked.",
            new CounterConfiguration { LabelNames = ["kind"] });
        DotNetStats.Register(Registry);

        var active = services.GetService<ActiveModel>();
        Registry.AddBeforeCollectCallback(() =>
        {
            // Resolved at scrape time, not at start: Hangfire's storage connects to its database when first made.
            var jobs = services.GetService<JobStorage>();
            if (active is not null)
            {
                ShowModel(active.Current);
            }

            if (jobs is not null)
            {
                var statistics = jobs.GetMonitoringApi().GetStatistics();
                _jobs.WithLabels("queued").Set(statistics.Enqueued);
                _jobs.WithLabels("running").Set(statistics.Processing);
                _jobs.WithLabels("failed").Set(statistics.Failed);
                _jobs.WithLabels("scheduled").Set(statistics.Scheduled);
            }
        });
    }

    /// <summary>This process's metrics, served at /metrics.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Counts one scoring request and its latency; <paramref name="fallback"/> when no model answered.</summary>
    public void ScoringRequest(string endpoint, int status, TimeSpan elapsed, bool fallback)
    {
        // The children of the common labels are looked up once, not per request (the label lookup was a hot-path cost).
        var children = _children.GetOrAdd(endpoint, e => new EndpointChildren(_scoringLatency.WithLabels(e), _fallbacks.WithLabels(e), _scoringRequests.WithLabels(e, "200")));
        (status == StatusCodes.Status200OK ? children.Ok : _scoringRequests.WithLabels(endpoint, status.ToString(System.Globalization.CultureInfo.InvariantCulture))).Inc();
        children.Latency.Observe(elapsed.TotalSeconds);
        if (fallback && status == StatusCodes.Status200OK)
        {
            children.Fallbacks.Inc();
        }
    }

    private sealed record EndpointChildren(Histogram.Child Latency, Counter.Child Fallbacks, Counter.Child Ok);

    /// <summary>Counts one throttled request: "api_key", "sign_in_address" or "sign_in_account".</summary>
    public void Throttled(string kind) => _throttled.WithLabels(kind).Inc();

    public void TrainingFinished(VersionStatus outcome, TimeSpan elapsed) =>
        _training.WithLabels(outcome.ToString().ToLowerInvariant()).Observe(elapsed.TotalSeconds);

    public void PromotionFinished(PromotionKind kind, PromotionStatus outcome) =>
        _promotions.WithLabels(kind.ToString().ToLowerInvariant(), outcome.ToString().ToLowerInvariant()).Inc();

    private void ShowModel(ServingModel serving)
    {
        string[] labels = [serving.Model?.Version ?? "fallback", serving.Source, serving.Selection];
        lock (_modelGate)
        {
            if (_modelLabels is { } previous && !previous.SequenceEqual(labels))
            {
                _modelInUse.RemoveLabelled(previous);
            }

            _modelLabels = labels;
            _modelInUse.WithLabels(labels).Set(1);
        }
    }
}

/// <summary>Times every scoring API request, including the ones the key check or the rate limiter turn away.</summary>
public sealed class ScoringMetricsMiddleware(RequestDelegate next, LynqMetrics metrics, ActiveModel active)
{

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = Endpoints.ScoringEndpoints.RouteLabelOf(context.Request.Path);
        if (endpoint is null)
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var fallback = active.Current.Model is null;
        try
        {
            await next(context);
        }
        finally
        {
            metrics.ScoringRequest(endpoint, context.Response.StatusCode, Stopwatch.GetElapsedTime(started), fallback && endpoint != "model_info");
        }
    }
}

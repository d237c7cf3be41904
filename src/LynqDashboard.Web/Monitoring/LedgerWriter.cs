using LynqDashboard.Core.Monitoring;
using LynqDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Monitoring;

/// <summary>
/// Drains the ledger's buffer into the registry until the host stops, then flushes what is left (a graceful
/// shutdown keeps every decision recorded before it), scoring the shadow version for each batch first. Starts after RegistryStartup has migrated the tables.
/// </summary>
public sealed class LedgerWriter(DecisionLedger ledger, IDecisionStore store, IOptions<MonitoringOptions> options, LedgerMetrics metrics, ShadowScorer shadows, ILogger<LedgerWriter> logger)
    : BackgroundService
{
    public LedgerMetrics Metrics { get; } = metrics;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ledger.WriteFailed += (e, count) => logger.LogWarning(e, "The decision ledger could not store a batch of {Count} decisions; they are counted as dropped", count);

        // The shadow's answers are computed here, after the requests were answered: the shadow never slows or fails one.
        ledger.BeforeWrite = shadows.Fill;
        shadows.Failed += e => logger.LogWarning(e, "A shadow answer could not be computed; the decision is stored without it");
        return ledger.RunAsync(store, options.Value.Ledger.BatchSize, stoppingToken);
    }
}

/// <summary>
/// Keeps this process's count of lost decisions in the registry (setting "ledger.dropped.{machine}:{pid}"), so the
/// Monitoring page of any process can show a banner with the sum; written only when it changed.
/// </summary>
public sealed class LedgerDropReporter(DecisionLedger ledger, IMonitoringStore store, TimeProvider clock, ILogger<LedgerDropReporter> logger)
    : Hosting.PeriodicService(clock, logger)
{
    public const string KeyPrefix = "ledger.dropped.";

    private readonly TimeProvider _clock = clock;
    private readonly string _key = $"{KeyPrefix}{Environment.MachineName}:{Environment.ProcessId}";
    private long _reported;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(5);

    protected override string Work => "Storing the count of decisions the ledger dropped";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var dropped = ledger.Dropped;
        if (dropped == _reported)
        {
            return;
        }

        await store.SaveSettingAsync(new StoredSetting
        {
            Key = _key,
            Value = dropped.ToString(System.Globalization.CultureInfo.InvariantCulture),
            UpdatedBy = "ledger",
            UpdatedAt = _clock.GetUtcNow(),
        }, cancellationToken);
        _reported = dropped;
    }

    protected override Task StoppedAsync() => RunOnceAsync(CancellationToken.None);
}

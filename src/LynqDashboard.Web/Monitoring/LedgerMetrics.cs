using LynqDashboard.Core.Monitoring;
using LynqDashboard.Web.Observability;
using Prometheus;

namespace LynqDashboard.Web.Monitoring;

/// <summary>The ledger's counts on /metrics, read from the buffer at scrape time (the scoring path updates nothing extra).</summary>
public sealed class LedgerMetrics
{
    public LedgerMetrics(LynqMetrics metrics, DecisionLedger ledger, Core.Challengers.ActiveChallengers challengers)
    {
        ArgumentNullException.ThrowIfNull(challengers);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(ledger);
        var factory = Metrics.WithCustomRegistry(metrics.Registry);
        var recorded = factory.CreateCounter("lynq_ledger_recorded_total", "Decisions this process put in the ledger's buffer.");
        var dropped = factory.CreateCounter("lynq_ledger_dropped_total", "Decisions this process lost: the buffer was full or the database refused their batch.");
        var written = factory.CreateCounter("lynq_ledger_written_total", "Decisions this process stored in the registry database.");
        var pending = factory.CreateGauge("lynq_ledger_pending", "Decisions buffered and not yet stored.");
        var shadowFailures = factory.CreateCounter("lynq_shadow_failures_total", "Shadow answers that could not be computed (the request was answered and recorded without them).");
        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            recorded.IncTo(ledger.Recorded);
            dropped.IncTo(ledger.Dropped);
            written.IncTo(ledger.Written);
            pending.Set(ledger.Pending);
            shadowFailures.IncTo(challengers.ShadowFailures);
        });
    }
}

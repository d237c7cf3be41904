using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Observability;
using Prometheus;

namespace LynqDashboard.Web.Monitoring;

/// <summary>
/// The monitoring gauges on /metrics, set from every version's latest stored snapshot (so every process shows the same
/// numbers): <c>lynq_monitor_psi{version,feature}</c> (feature "score" for the PD) and <c>lynq_monitor_alerts{version,kind}</c>.
/// </summary>
public sealed class MonitoringMetrics
{
    private static readonly string[] Kinds = [.. Enum.GetValues<MonitoringAlertKind>().Select(KindLabel)];
    private readonly Gauge _psi;
    private readonly Gauge _alerts;
    private readonly Lock _gate = new();
    private HashSet<(string Version, string Feature)> _shownPsi = [];

    public MonitoringMetrics(LynqMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var factory = Metrics.WithCustomRegistry(metrics.Registry);
        _psi = factory.CreateGauge("lynq_monitor_psi", "Stability index of each version's latest monitoring snapshot against its training deciles: feature=\"score\" for the PD's PSI, otherwise the feature's CSI.",
            new GaugeConfiguration { LabelNames = ["version", "feature"] });
        _alerts = factory.CreateGauge("lynq_monitor_alerts", "Alerts of each kind (psi, calibration, back_test_auc) in each version's latest monitoring snapshot.",
            new GaugeConfiguration { LabelNames = ["version", "kind"] });
    }

    /// <summary>Replaces every gauge with the numbers of these snapshots (one per version, the latest).</summary>
    public void Show(IReadOnlyList<MonitoringSnapshot> latest)
    {
        ArgumentNullException.ThrowIfNull(latest);
        lock (_gate)
        {
            var shown = new HashSet<(string, string)>();
            foreach (var snapshot in latest)
            {
                var version = VersionLabel(snapshot);
                if (snapshot.ScorePsi is { } psi)
                {
                    _psi.WithLabels(version, SnapshotBuilder.ScoreFeature).Set(psi);
                    shown.Add((version, SnapshotBuilder.ScoreFeature));
                }

                foreach (var (feature, csi) in snapshot.FeatureCsi)
                {
                    _psi.WithLabels(version, feature).Set(csi);
                    shown.Add((version, feature));
                }

                foreach (var kind in Enum.GetValues<MonitoringAlertKind>())
                {
                    _alerts.WithLabels(version, KindLabel(kind)).Set(snapshot.Alerts.Count(a => a.Kind == kind));
                }
            }

            // A version whose latest snapshot no longer has a number (or that is gone) stops reporting an old one.
            foreach (var (version, feature) in _shownPsi.Except(shown))
            {
                _psi.RemoveLabelled(version, feature);
            }

            foreach (var version in _shownPsi.Select(p => p.Version).Except(latest.Select(VersionLabel)).Distinct())
            {
                foreach (var kind in Kinds)
                {
                    _alerts.RemoveLabelled(version, kind);
                }
            }

            _shownPsi = shown;
        }
    }

    /// <summary>"3", or the fallback's name.</summary>
    public static string VersionLabel(MonitoringSnapshot snapshot) =>
        snapshot?.VersionNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? CreditScorer.FallbackVersion;

    /// <summary>psi, calibration, back_test_auc.</summary>
    public static string KindLabel(MonitoringAlertKind kind) => kind switch
    {
        MonitoringAlertKind.Psi => "psi",
        MonitoringAlertKind.Calibration => "calibration",
        _ => "back_test_auc",
    };
}

using System.Diagnostics;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Monitoring;

/// <summary>How a snapshot reads and judges (Lynq:Monitoring).</summary>
/// <param name="WindowDays">Days of decisions read, back from now.</param>
/// <param name="Vintage">"week" or "month".</param>
/// <param name="Thresholds">The alert lines.</param>
public sealed record MonitoringRunSettings(int WindowDays, string Vintage, MonitoringThresholds Thresholds);

/// <summary>Where a stored snapshot goes next (gauges, the notice, the webhook): every snapshot, with or without alerts. Implementations never throw.</summary>
public interface IMonitoringAlertSink
{
    Task PublishAsync(MonitoringSnapshot snapshot, CancellationToken cancellationToken = default);
}

/// <summary>Reads a version's decisions of the window once, builds the snapshot against its frozen bins, stores it and hands it to the sinks.</summary>
public sealed class MonitoringRunner(
    IModelRegistry registry,
    IDecisionStore decisions,
    IMonitoringStore store,
    VersionBaselines baselines,
    IEnumerable<IMonitoringAlertSink> sinks,
    MonitoringRunSettings settings,
    TimeProvider clock) : IMonitoringRunner
{
    public async Task<MonitoringSnapshot> RunAsync(int? versionNumber, CancellationToken cancellationToken = default)
    {
        var version = versionNumber is { } number
            ? await registry.GetVersionByNumberAsync(number, cancellationToken).ConfigureAwait(false)
              ?? throw LynqException.NotFound($"There is no version {number} in the registry.", "version")
            : null;
        return await RunAsync(version, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MonitoringSnapshot>> RunAllAsync(CancellationToken cancellationToken = default)
    {
        var (from, to) = Window();
        var snapshots = new List<MonitoringSnapshot>();
        foreach (var version in await ServedVersionsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (version.Status == VersionStatus.Production || await HasDecisionsAsync(version.Number, from, to, cancellationToken).ConfigureAwait(false))
            {
                snapshots.Add(await RunAsync(version, cancellationToken).ConfigureAwait(false));
            }
        }

        if (await HasDecisionsAsync(null, from, to, cancellationToken).ConfigureAwait(false))
        {
            snapshots.Add(await RunAsync((ModelVersionRecord?)null, cancellationToken).ConfigureAwait(false));
        }

        return snapshots;
    }

    private async Task<MonitoringSnapshot> RunAsync(ModelVersionRecord? version, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var (from, to) = Window();
        var baseline = version is null ? null : await baselines.GetOrComputeAsync(version, cancellationToken).ConfigureAwait(false);
        var builder = new SnapshotBuilder(baseline, settings.Vintage);
        await foreach (var decision in decisions.ReadForMonitoringAsync(version?.Number, from, to, cancellationToken).ConfigureAwait(false))
        {
            builder.Add(decision);
        }

        var snapshot = builder.Build(version?.Number, version?.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? CreditScorer.FallbackVersion,
            clock.GetUtcNow(), from, to, settings.Thresholds, Stopwatch.GetElapsedTime(started).TotalSeconds);
        await store.AddSnapshotAsync(snapshot, cancellationToken).ConfigureAwait(false);
        foreach (var sink in sinks)
        {
            await sink.PublishAsync(snapshot, cancellationToken).ConfigureAwait(false);
        }

        return snapshot;
    }

    private (DateTimeOffset From, DateTimeOffset To) Window()
    {
        var to = clock.GetUtcNow();
        return (to.AddDays(-settings.WindowDays), to);
    }

    // Versions that have files, so could have served; production first.
    private async Task<List<ModelVersionRecord>> ServedVersionsAsync(CancellationToken cancellationToken)
    {
        const int Page = 500;
        var versions = new List<ModelVersionRecord>();
        for (var skip = 0; ; skip += Page)
        {
            var page = await registry.QueryVersionsAsync(new VersionQuery(Skip: skip, Take: Page), cancellationToken).ConfigureAwait(false);
            versions.AddRange(page.Items.Where(v => v.ArtifactDirectory is not null));
            if (page.Items.Count < Page)
            {
                break;
            }
        }

        return [.. versions.OrderByDescending(v => v.Status == VersionStatus.Production).ThenByDescending(v => v.Number)];
    }

    // Asks for the window's decisions and stops at the first: one indexed read per version, not a count.
    private async Task<bool> HasDecisionsAsync(int? versionNumber, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await foreach (var _ in decisions.ReadForMonitoringAsync(versionNumber, from, to, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        return false;
    }
}

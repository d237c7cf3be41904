using System.Globalization;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Monitoring.Challengers;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Endpoints;
using LynqDashboard.Web.Monitoring;

namespace LynqDashboard.Web.Model;

/// <summary>A version the Monitoring page can show: one with snapshots, or the production version before its first one.</summary>
/// <param name="Key">The number as text, or "fallback".</param>
/// <param name="Number">The registry number; null for the rule-based fallback.</param>
/// <param name="Label">What the picker shows.</param>
public sealed record MonitoringChoice(string Key, int? Number, string Label)
{
    public const string FallbackKey = "fallback";

    public static string KeyOf(int? number) => number?.ToString(CultureInfo.InvariantCulture) ?? FallbackKey;
}

/// <summary>What the Monitoring page shows at one moment.</summary>
/// <param name="Choices">The versions to pick from, production first.</param>
/// <param name="Selected">The one shown (null when there is nothing to monitor yet).</param>
/// <param name="History">Its snapshots, newest first.</param>
/// <param name="Dropped">Decisions the ledger dropped because its buffer was full, summed over every process that reported.</param>
/// <param name="ProductionNumber">The version in production, if any.</param>
/// <param name="Schedule">When snapshots are computed, and who set that.</param>
public sealed record MonitoringPageData(
    IReadOnlyList<MonitoringChoice> Choices, MonitoringChoice? Selected, IReadOnlyList<MonitoringSnapshot> History, long Dropped, int? ProductionNumber, MonitoringScheduleView Schedule);

/// <summary>Reads the Monitoring page's data (one circuit, one load at a time).</summary>
public sealed class MonitoringPageLoader(
    IMonitoringStore store, IModelRegistry registry, MonitoringSchedule schedule, IDecisionStore decisions, ActivePolicy policy, TimeProvider clock)
{
    /// <summary>The key under which each process reports its dropped-decision count: "ledger.dropped.{machine}:{pid}".</summary>
    public const string DroppedPrefix = "ledger.dropped.";

    /// <param name="key">The version asked for (<see cref="MonitoringChoice.Key"/>); null picks production, else the newest monitored.</param>
    /// <param name="cancellationToken">Stops the reads.</param>
    public async Task<MonitoringPageData> LoadAsync(string? key, CancellationToken cancellationToken)
    {
        var production = (await registry.QueryVersionsAsync(new VersionQuery(Status: VersionStatus.Production, Take: 1), cancellationToken)).Items is [var p, ..] ? p : null;
        var latest = await store.LatestPerVersionAsync(cancellationToken);
        var choices = new List<MonitoringChoice>();
        if (production is not null)
        {
            choices.Add(new MonitoringChoice(MonitoringChoice.KeyOf(production.Number), production.Number, $"{production.Label} (production)"));
        }

        foreach (var snapshot in latest.OrderByDescending(s => s.VersionNumber ?? int.MinValue))
        {
            if (choices.All(c => c.Number != snapshot.VersionNumber))
            {
                choices.Add(new MonitoringChoice(MonitoringChoice.KeyOf(snapshot.VersionNumber), snapshot.VersionNumber,
                    snapshot.VersionNumber is { } n ? $"v{n}" : "Rule-based fallback"));
            }
        }

        // Before any approval the fallback answers: its decisions can be monitored (mix, traffic, back-test) like a version's.
        if (production is null && choices.All(c => c.Number is not null))
        {
            choices.Add(new MonitoringChoice(MonitoringChoice.FallbackKey, null, "Rule-based fallback"));
        }

        var selected = choices.FirstOrDefault(c => c.Key == key) ?? choices.FirstOrDefault();
        var history = selected is null ? [] : await store.ListSnapshotsAsync(selected.Number, 200, cancellationToken);
        var dropped = (await store.ListSettingsAsync(DroppedPrefix, cancellationToken))
            .Sum(s => long.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0);
        return new MonitoringPageData(choices, selected, history, dropped, production?.Number, await schedule.GetAsync(cancellationToken));
    }

    /// <summary>
    /// The champion–challenger comparison over the last <see cref="ChallengerComparisonEndpoints.DefaultDays"/> days, as the
    /// API answers it: one read of the ledger, so the page asks once, not on every version switch.
    /// </summary>
    public async Task<ChallengerComparisonView> LoadChallengersAsync(CancellationToken cancellationToken)
    {
        var to = clock.GetUtcNow();
        var report = await ChallengerReportBuilder.ReadAsync(decisions, policy.Current, to.AddDays(-ChallengerComparisonEndpoints.DefaultDays), to, cancellationToken);
        return ChallengerComparisonView.Of(report);
    }
}

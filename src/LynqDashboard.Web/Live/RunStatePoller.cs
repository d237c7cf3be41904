using LynqDashboard.Core.Registry;
using LynqDashboard.Web.Configuration;
using Microsoft.Extensions.Options;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Web.Live;

/// <summary>
/// Carries progress from jobs in other processes to this one's pages. Workers save each run's progress to the
/// shared registry (at most every 0.5 s); this reads the active runs every
/// <see cref="StorageOptions.ProgressPollMilliseconds"/>, publishes what changed, and announces each run's end once.
/// </summary>
public sealed class RunStatePoller(
    IModelRegistry registry,
    IPromotionRegistry promotions,
    RunUpdateHub hub,
    IOptions<StorageOptions> options,
    TimeProvider clock,
    ILogger<RunStatePoller> logger) : Hosting.PeriodicService(clock, logger)
{
    // What was last published for each run still active, to publish changes only.
    private readonly Dictionary<Guid, (RunKind Kind, string Fingerprint)> _active = [];

    /// <summary>Reads the registry once and publishes what changed since the last read.</summary>
    public async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        var active = await registry.ListActiveRunsAsync(cancellationToken).ConfigureAwait(false);
        var current = new List<RunUpdate>();
        current.AddRange(active.Datasets.Select(d => new RunUpdate(RunKind.Dataset, d.Id, d.Status.ToString(), d.Progress.Copy())));
        current.AddRange(active.Versions.Select(v => new RunUpdate(RunKind.Version, v.Id, v.Status.ToString(), v.Progress.Copy())));
        current.AddRange((await promotions.ListActivePromotionsAsync(cancellationToken).ConfigureAwait(false))
            .Select(p => new RunUpdate(RunKind.Promotion, p.Id, p.Status.ToString(), p.Progress.Copy())));

        var known = current.Select(c => c.Id).ToHashSet();
        foreach (var update in current)
        {
            var fingerprint = Fingerprint(update);
            if (!_active.TryGetValue(update.Id, out var last) || last.Fingerprint != fingerprint)
            {
                _active[update.Id] = (update.Kind, fingerprint);
                hub.PublishFromStore(update);
            }
        }

        var ended = _active.Where(a => !known.Contains(a.Key)).ToList();
        foreach (var (id, (kind, _)) in ended)
        {
            _active.Remove(id);
            if (await FinalAsync(kind, id, cancellationToken).ConfigureAwait(false) is { } final)
            {
                hub.PublishFromStore(final);
            }
        }
    }

    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(options.Value.ProgressPollMilliseconds);

    protected override string Work => "Reading job progress from the registry";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => PollOnceAsync(cancellationToken);

    private async Task<RunUpdate?> FinalAsync(RunKind kind, Guid id, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case RunKind.Dataset:
                var dataset = await registry.GetDatasetAsync(id, cancellationToken).ConfigureAwait(false);
                return dataset is null ? null : new RunUpdate(kind, id, dataset.Status.ToString(), dataset.Progress.Copy(), dataset.Error, dataset.Name);
            case RunKind.Version:
                var version = await registry.GetVersionAsync(id, cancellationToken).ConfigureAwait(false);
                return version is null ? null : new RunUpdate(kind, id, version.Status.ToString(), version.Progress.Copy(), version.Error, version.Label);
            default:
                var promotion = await promotions.GetPromotionAsync(id, cancellationToken).ConfigureAwait(false);
                return promotion is null ? null : new RunUpdate(kind, id, promotion.Status.ToString(), promotion.Progress.Copy(), promotion.Error, promotion.Label);
        }
    }

    private static string Fingerprint(RunUpdate update) =>
        FormattableString.Invariant($"{update.Status}|{update.Progress.Stage}|{update.Progress.Fraction:0.####}|{update.Progress.Done}|{update.Progress.Total}");
}

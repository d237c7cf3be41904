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
        current.AddRange(active.Datasets.Select(RunUpdate.Of));
        current.AddRange(active.Versions.Select(RunUpdate.Of));
        current.AddRange((await promotions.ListActivePromotionsAsync(cancellationToken).ConfigureAwait(false)).Select(RunUpdate.Of));

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

    private async Task<RunUpdate?> FinalAsync(RunKind kind, Guid id, CancellationToken cancellationToken) => kind switch
    {
        RunKind.Dataset => await registry.GetDatasetAsync(id, cancellationToken).ConfigureAwait(false) is { } dataset ? RunUpdate.Of(dataset) : null,
        RunKind.Version => await registry.GetVersionAsync(id, cancellationToken).ConfigureAwait(false) is { } version ? RunUpdate.Of(version) : null,
        _ => await promotions.GetPromotionAsync(id, cancellationToken).ConfigureAwait(false) is { } promotion ? RunUpdate.Of(promotion) : null,
    };

    private static string Fingerprint(RunUpdate update) =>
        FormattableString.Invariant($"{update.Status}|{update.Progress.Stage}|{update.Progress.Fraction:0.####}|{update.Progress.Done}|{update.Progress.Total}");
}

using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Scoring;

/// <summary>
/// MODEL_SOURCE=local: serve the registry's production version, which only an approved promotion request makes;
/// before any approval the rule-based fallback answers (a freshly trained version never serves by itself).
/// <see cref="RefreshAsync"/> loads a newly chosen version off the request path and swaps it in; if that load fails,
/// the previous model keeps serving and the failure is reported. A rollback or a deletion that leaves no production
/// version returns to the fallback.
/// </summary>
public sealed class LocalModelSource(IModelRegistry registry, IPromotionRegistry promotions, Artifacts.IArtifactStore artifacts, ActiveModel active, TimeProvider clock) : IModelSource, IDisposable
{
    private readonly SemaphoreSlim _refreshing = new(1, 1);

    /// <summary>Swaps in the version that should serve now, if it differs from the current one. True when it swapped.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (candidate, selection) = await ChooseAsync(cancellationToken).ConfigureAwait(false);
            var current = active.Current;
            if (candidate is null)
            {
                if (current.Model is null)
                {
                    return false;
                }

                active.Swap(ServingModel.Fallback(clock.GetUtcNow()));
                return true;
            }

            if (candidate.Number == current.Number && selection == current.Selection)
            {
                return false;
            }

            try
            {
                var folder = await artifacts.VersionFolderAsync(candidate, cancellationToken).ConfigureAwait(false);
                var model = await Task.Run(() => ScoringModel.Load(folder), cancellationToken).ConfigureAwait(false);
                var promotedAt = selection == "production"
                    ? (await promotions.ListPromotionsAsync(versionId: candidate.Id, take: 20, cancellationToken: cancellationToken).ConfigureAwait(false))
                        .FirstOrDefault(p => p.Status == PromotionStatus.Succeeded)?.FinishedAt
                    : null;
                active.Swap(new ServingModel(model, "local", selection, candidate.Number, clock.GetUtcNow(), promotedAt));
                return true;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or FormatException or UnauthorizedAccessException or Storage.ObjectStoreException)
            {
                active.ReportFailure($"{candidate.Label} could not be loaded ({e.Message}); still serving {(current.Number is { } n ? $"v{n}" : "the rule-based fallback")}.");
                return false;
            }
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public void Dispose() => _refreshing.Dispose();

    private async Task<(ModelVersionRecord? Version, string Selection)> ChooseAsync(CancellationToken cancellationToken)
    {
        var production = (await registry.QueryVersionsAsync(new VersionQuery(Status: VersionStatus.Production, Take: 1), cancellationToken).ConfigureAwait(false)).Items;
        return production.Count > 0 && production[0].ArtifactDirectory is not null ? (production[0], "production") : (null, "none");
    }
}

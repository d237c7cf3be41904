using System.Collections.Concurrent;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Web.Scoring;

/// <summary>
/// Models for the scoring page: the serving one by default, or any usable version by number, each loaded once
/// and kept (a loaded model is a few hundred kilobytes).
/// </summary>
public sealed class ScoringModels(ActiveModel active, IModelRegistry registry, LynqDashboard.Core.Artifacts.IArtifactStore artifacts)
{
    private readonly ConcurrentDictionary<int, Lazy<Task<ScoringModel?>>> _loaded = new();

    /// <summary>The versions a person may pick, newest first.</summary>
    public async Task<IReadOnlyList<ModelVersionRecord>> UsableAsync(CancellationToken cancellationToken)
    {
        var page = await registry.QueryVersionsAsync(new VersionQuery(Take: 200), cancellationToken);
        return [.. page.Items.Where(v => v.Status.IsUsable() && v.ArtifactDirectory is not null)];
    }

    /// <summary>The model for <paramref name="number"/>, or the serving model when null; null means the fallback answers.</summary>
    public async Task<ScoringModel?> GetAsync(int? number, CancellationToken cancellationToken)
    {
        var serving = active.Current;
        if (number is null || number == serving.Number)
        {
            return serving.Model;
        }

        // The load is shared by every caller, so it runs on no caller's token (a page closed mid-load must not leave a
        // cancelled load cached for the next); each caller stops waiting on its own token.
        var lazy = _loaded.GetOrAdd(number.Value, n => new Lazy<Task<ScoringModel?>>(() => LoadAsync(n, CancellationToken.None)));
        ScoringModel? model;
        try
        {
            model = await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _loaded.TryRemove(new KeyValuePair<int, Lazy<Task<ScoringModel?>>>(number.Value, lazy));
            throw;
        }

        if (model is null)
        {
            _loaded.TryRemove(new KeyValuePair<int, Lazy<Task<ScoringModel?>>>(number.Value, lazy));
        }

        return model;
    }

    private async Task<ScoringModel?> LoadAsync(int number, CancellationToken cancellationToken)
    {
        var version = await registry.GetVersionByNumberAsync(number, cancellationToken);
        if (version is not { ArtifactDirectory: not null } || !version.Status.IsUsable())
        {
            return null;
        }

        var folder = await artifacts.VersionFolderAsync(version, cancellationToken);
        return await Task.Run(() => ScoringModel.Load(folder), cancellationToken);
    }
}

namespace LynqDashboard.Core.Registry;

/// <summary>
/// The model registry: datasets and model versions with their progress. Implementations store them durably
/// (EF Core on SQLite by default) so every page, tab and process sees the same state.
/// </summary>
public interface IModelRegistry
{
    Task<DatasetRecord> AddDatasetAsync(DatasetRecord dataset, CancellationToken cancellationToken = default);

    Task<DatasetRecord?> GetDatasetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>All datasets, newest first.</summary>
    Task<IReadOnlyList<DatasetRecord>> ListDatasetsAsync(CancellationToken cancellationToken = default);

    /// <summary>Applies <paramref name="change"/> to the stored dataset and saves it; null when it does not exist.</summary>
    Task<DatasetRecord?> UpdateDatasetAsync(Guid id, Action<DatasetRecord> change, CancellationToken cancellationToken = default);

    /// <summary>Stores a new version with the next number (1, 2, …), safely under concurrent calls.</summary>
    Task<ModelVersionRecord> AddVersionAsync(ModelVersionRecord version, CancellationToken cancellationToken = default);

    Task<ModelVersionRecord?> GetVersionAsync(Guid id, CancellationToken cancellationToken = default);

    Task<ModelVersionRecord?> GetVersionByNumberAsync(int number, CancellationToken cancellationToken = default);

    /// <summary>One page of versions matching <paramref name="query"/>.</summary>
    Task<VersionPage> QueryVersionsAsync(VersionQuery query, CancellationToken cancellationToken = default);

    /// <summary>Applies <paramref name="change"/> to the stored version and saves it; null when it does not exist.</summary>
    Task<ModelVersionRecord?> UpdateVersionAsync(Guid id, Action<ModelVersionRecord> change, CancellationToken cancellationToken = default);

    /// <summary>Removes the version record; false when it does not exist. Refuses the Production version.</summary>
    Task<bool> DeleteVersionAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Every dataset and version still Queued, Generating or Running: what other processes may be working on.</summary>
    Task<ActiveRuns> ListActiveRunsAsync(CancellationToken cancellationToken = default);

    /// <summary>Marks every Queued/Running dataset and version Interrupted (a killed process left them); returns how many.</summary>
    Task<int> MarkInterruptedAsync(string message, CancellationToken cancellationToken = default);
}

public sealed record ActiveRuns(IReadOnlyList<DatasetRecord> Datasets, IReadOnlyList<ModelVersionRecord> Versions);

/// <summary>Which versions to list: free-text filter on number, tags and notes; status filter; sort; paging.</summary>
/// <param name="Search">Matches "v12", "12", a tag or a word in the notes; null for all.</param>
/// <param name="Status">Only this status; null for all.</param>
/// <param name="SortBy">Column name: number, created_at, roc_auc, ks, brier, calibration_error, status (default number).</param>
/// <param name="Descending">Sort direction (default newest/highest first).</param>
/// <param name="Skip">Rows to skip.</param>
/// <param name="Take">Page size, 1–500.</param>
public sealed record VersionQuery(
    string? Search = null,
    VersionStatus? Status = null,
    string SortBy = "number",
    bool Descending = true,
    int Skip = 0,
    int Take = 50);

public sealed record VersionPage(IReadOnlyList<ModelVersionRecord> Items, int TotalCount);

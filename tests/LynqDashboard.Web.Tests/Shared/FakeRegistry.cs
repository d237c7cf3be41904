using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Web.Tests.Shared;

/// <summary>An in-memory registry for component tests: records live in lists, queries answer in memory.</summary>
public sealed class FakeRegistry : IModelRegistry
{
    public List<DatasetRecord> Datasets { get; } = [];

    public List<ModelVersionRecord> Versions { get; } = [];

    public List<VersionQuery> Queries { get; } = [];

    public Task<DatasetRecord> AddDatasetAsync(DatasetRecord dataset, CancellationToken cancellationToken = default)
    {
        Datasets.Add(dataset);
        return Task.FromResult(dataset);
    }

    public Task<DatasetRecord?> GetDatasetAsync(Guid id, CancellationToken cancellationToken = default) => Task.FromResult(Datasets.FirstOrDefault(d => d.Id == id));

    public Task<IReadOnlyList<DatasetRecord>> ListDatasetsAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<DatasetRecord>>([.. Datasets]);

    public Task<DatasetRecord?> UpdateDatasetAsync(Guid id, Action<DatasetRecord> change, CancellationToken cancellationToken = default)
    {
        var dataset = Datasets.FirstOrDefault(d => d.Id == id);
        if (dataset is not null)
        {
            change(dataset);
        }

        return Task.FromResult(dataset);
    }

    public Task<ModelVersionRecord> AddVersionAsync(ModelVersionRecord version, CancellationToken cancellationToken = default)
    {
        version.Number = Versions.Count + 1;
        Versions.Add(version);
        return Task.FromResult(version);
    }

    public Task<ModelVersionRecord?> GetVersionAsync(Guid id, CancellationToken cancellationToken = default) => Task.FromResult(Versions.FirstOrDefault(v => v.Id == id));

    public Task<ModelVersionRecord?> GetVersionByNumberAsync(int number, CancellationToken cancellationToken = default) => Task.FromResult(Versions.FirstOrDefault(v => v.Number == number));

    public Task<VersionPage> QueryVersionsAsync(VersionQuery query, CancellationToken cancellationToken = default)
    {
        Queries.Add(query);
        var matching = Versions.Where(v => query.Status is null || v.Status == query.Status)
            .Where(v => string.IsNullOrEmpty(query.Search) || $"v{v.Number}" == query.Search || v.Tags.Contains(query.Search, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(v => v.Number).ToList();
        return Task.FromResult(new VersionPage([.. matching.Skip(query.Skip).Take(query.Take)], matching.Count));
    }

    public Task<ModelVersionRecord?> UpdateVersionAsync(Guid id, Action<ModelVersionRecord> change, CancellationToken cancellationToken = default)
    {
        var version = Versions.FirstOrDefault(v => v.Id == id);
        if (version is not null)
        {
            change(version);
        }

        return Task.FromResult(version);
    }

    public Task<bool> DeleteVersionAsync(Guid id, CancellationToken cancellationToken = default) => Task.FromResult(Versions.RemoveAll(v => v.Id == id) > 0);

    public Task<ActiveRuns> ListActiveRunsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new ActiveRuns([.. Datasets.Where(d => d.Status.IsActive())], [.. Versions.Where(v => v.Status.IsActive())]));

    public Task<int> MarkInterruptedAsync(string message, CancellationToken cancellationToken = default) => Task.FromResult(0);
}

/// <summary>Records what would have been queued.</summary>
public sealed class FakeScheduler : IJobScheduler
{
    public List<Guid> Queued { get; } = [];

    public string EnqueueGeneration(Guid datasetId) => Add(datasetId);

    public string EnqueueTraining(Guid versionId, string? afterJobId = null) => Add(versionId);

    public string EnqueuePromotion(Guid promotionId) => Add(promotionId);

    public void Delete(string jobId)
    {
    }

    private string Add(Guid id)
    {
        Queued.Add(id);
        return $"job-{Queued.Count}";
    }
}

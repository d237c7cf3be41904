using LynqDashboard.Core;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Storage;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Infrastructure.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Infrastructure.Tests.Reports;

/// <summary>
/// The graph the dashboard builds (AddLynqInfrastructure + AddLynqCore) on a SQLite file and a local data folder, with
/// promotion requests kept in memory until their store exists; trains one real small version through the workflow.
/// </summary>
public sealed class ReportBed : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private ReportBed(DataDirectory data, ServiceProvider services) => (Data, _services) = (data, services);

    public DataDirectory Data { get; }

    public IModelRegistry Registry => _services.GetRequiredService<IModelRegistry>();

    public IAuditLog Audit => _services.GetRequiredService<IAuditLog>();

    public IModelReports Reports => _services.GetRequiredService<IModelReports>();

    public MemoryPromotionRequests Requests => _services.GetRequiredService<MemoryPromotionRequests>();

    public static async Task<ReportBed> CreateAsync()
    {
        var data = new DataDirectory(Path.Combine(Path.GetTempPath(), "lynq-report-tests", Guid.NewGuid().ToString("N")));
        data.EnsureCreated();
        var services = new ServiceCollection()
            .AddLynqInfrastructure(data.RegistryDatabase)
            .AddLynqCore()
            .AddSingleton(data)
            .AddSingleton<IArtifactStore>(new LocalArtifactStore(data))
            .AddSingleton<IJobScheduler, RecordingScheduler>()
            .AddSingleton<IRunUpdatePublisher, RecordingPublisher>()
            .AddSingleton(JobDurability.InMemory)
            .AddSingleton<MemoryPromotionRequests>()
            .AddSingleton<IPromotionRequestRegistry>(provider => provider.GetRequiredService<MemoryPromotionRequests>())
            .BuildServiceProvider();
        await RegistryDatabase.MigrateAsync(services.GetRequiredService<IDbContextFactory<RegistryDbContext>>());
        return new ReportBed(data, services);
    }

    /// <summary>Generates a small dataset and trains a version on it through the workflows, as the jobs do.</summary>
    public async Task<ModelVersionRecord> TrainAsync(int rows = 6_000, int trees = 30)
    {
        var commands = _services.GetRequiredService<RegistryCommands>();
        var (dataset, version) = await commands.GenerateAndTrainAsync(new DatasetParameters(rows, 7), new TrainingParameters(Trees: trees));
        await _services.GetRequiredService<DatasetGenerationWorkflow>().RunAsync(dataset.Id, CancellationToken.None);
        await _services.GetRequiredService<ModelTrainingWorkflow>().RunAsync(version.Id, CancellationToken.None);
        return (await Registry.GetVersionAsync(version.Id))!;
    }

    public string Folder(ModelVersionRecord version) => Data.Resolve(version.ArtifactDirectory!);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Data.Root, recursive: true);
    }
}

/// <summary>Promotion requests in memory: the contract's behaviour (newest first, filter by version) without its EF store.</summary>
public sealed class MemoryPromotionRequests : IPromotionRequestRegistry
{
    private readonly List<PromotionRequestRecord> _requests = [];

    public Task<PromotionRequestRecord> AddRequestAsync(PromotionRequestRecord request, CancellationToken cancellationToken = default)
    {
        _requests.Add(request);
        return Task.FromResult(request);
    }

    public Task<PromotionRequestRecord?> GetRequestAsync(Guid id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_requests.FirstOrDefault(r => r.Id == id));

    public Task<IReadOnlyList<PromotionRequestRecord>> ListRequestsAsync(Guid? versionId = null, PromotionRequestStatus? status = null, int take = 100, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<PromotionRequestRecord>>([.. _requests
            .Where(r => (versionId is null || r.VersionId == versionId) && (status is null || r.Status == status))
            .OrderByDescending(r => r.RequestedAt).Take(take)]);

    public Task<bool> DecidePendingAsync(Guid id, Action<PromotionRequestRecord> decide, CancellationToken cancellationToken = default)
    {
        var request = _requests.FirstOrDefault(r => r.Id == id && r.Status == PromotionRequestStatus.Pending);
        if (request is not null)
        {
            decide(request);
        }

        return Task.FromResult(request is not null);
    }
}

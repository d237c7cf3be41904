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
/// The graph the dashboard builds (AddLynqInfrastructure + AddLynqCore) on a SQLite file and a local data folder;
/// trains one real small version through the workflow.
/// </summary>
public sealed class ReportBed : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private ReportBed(DataDirectory data, ServiceProvider services) => (Data, _services) = (data, services);

    public DataDirectory Data { get; }

    public IModelRegistry Registry => _services.GetRequiredService<IModelRegistry>();

    public IAuditLog Audit => _services.GetRequiredService<IAuditLog>();

    public IModelReports Reports => _services.GetRequiredService<IModelReports>();

    public IPromotionRequestRegistry Requests => _services.GetRequiredService<IPromotionRequestRegistry>();

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

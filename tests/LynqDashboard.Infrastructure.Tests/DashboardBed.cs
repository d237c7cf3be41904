using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Storage;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Core;
using LynqDashboard.Infrastructure.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Infrastructure.Tests;

/// <summary>
/// The dashboard's graph (AddLynqInfrastructure + AddLynqCore) on a SQLite file and a local data folder with no bucket:
/// production is the registry's designation, which the local model source serves. Trains real small versions and runs
/// the promotions an approval queues, as the jobs would. The governance and the documentation-pack tests share it.
/// </summary>
public sealed class DashboardBed : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly RecordingScheduler _scheduler = new();

    private DashboardBed(DataDirectory data, FourEyesRule rule)
    {
        Data = data;
        _services = new ServiceCollection()
            .AddLynqInfrastructure(data.RegistryDatabase)
            .AddLynqCore()
            .AddSingleton(data)
            .AddSingleton<IArtifactStore>(new LocalArtifactStore(data))
            .AddSingleton<IJobScheduler>(_scheduler)
            .AddSingleton<IRunUpdatePublisher, RecordingPublisher>()
            .AddSingleton(JobDurability.InMemory)
            .AddSingleton(new PromotionTarget(null))
            .AddSingleton(new PromotionGates(MinRocAuc: 0.6, MaxCalibrationError: 0.2))
            .AddSingleton(rule)
            .AddSingleton<IObjectStoreFactory, NoBuckets>()
            .AddSingleton<ActiveModel>()
            .AddSingleton<LocalModelSource>()
            .BuildServiceProvider();
    }

    public DataDirectory Data { get; }

    public IModelRegistry Registry => _services.GetRequiredService<IModelRegistry>();

    public PromotionRequests Requests => _services.GetRequiredService<PromotionRequests>();

    /// <summary>The request store itself, for tests that file a decided request directly.</summary>
    public IPromotionRequestRegistry RequestStore => _services.GetRequiredService<IPromotionRequestRegistry>();

    public IModelReports Reports => _services.GetRequiredService<IModelReports>();

    public PromotionCommands Promotions => _services.GetRequiredService<PromotionCommands>();

    public IPromotionRegistry PromotionRecords => _services.GetRequiredService<IPromotionRegistry>();

    public IAuditLog Audit => _services.GetRequiredService<IAuditLog>();

    public ActiveModel Active => _services.GetRequiredService<ActiveModel>();

    public LocalModelSource Source => _services.GetRequiredService<LocalModelSource>();

    public static async Task<DashboardBed> CreateAsync(bool requireSecondApprover = true)
    {
        var data = new DataDirectory(Path.Combine(Path.GetTempPath(), "lynq-governance-tests", Guid.NewGuid().ToString("N")));
        data.EnsureCreated();
        var bed = new DashboardBed(data, new FourEyesRule(requireSecondApprover));
        await RegistryDatabase.MigrateAsync(bed._services.GetRequiredService<IDbContextFactory<RegistryDbContext>>());
        return bed;
    }

    /// <summary>Generates a dataset and trains a version on it as <paramref name="by"/>, through the workflows.</summary>
    public async Task<ModelVersionRecord> TrainAsync(string by = "trainer@lynq.test", int seed = 7, int trees = 40, int rows = 8_000, LabelMode labelMode = LabelMode.Probabilistic)
    {
        var commands = _services.GetRequiredService<RegistryCommands>();
        var (dataset, version) = await commands.GenerateAndTrainAsync(new DatasetParameters(rows, seed, LabelMode: labelMode), new TrainingParameters(Trees: trees, Seed: seed), by);
        await _services.GetRequiredService<DatasetGenerationWorkflow>().RunAsync(dataset.Id, CancellationToken.None);
        await _services.GetRequiredService<ModelTrainingWorkflow>().RunAsync(version.Id, CancellationToken.None);
        var trained = (await Registry.GetVersionAsync(version.Id))!;
        Assert.Equal(VersionStatus.Ready, trained.Status);
        return trained;
    }

    /// <summary>Runs the promotion the approval queued, as its job would, and returns how it ended.</summary>
    public async Task<PromotionRecord> RunAsync(PromotionRecord queued)
    {
        ArgumentNullException.ThrowIfNull(queued);
        Assert.Contains(_scheduler.Jobs, j => j.Record == queued.Id);
        await _services.GetRequiredService<PromotionWorkflow>().RunAsync(queued.Id, CancellationToken.None);
        return (await PromotionRecords.GetPromotionAsync(queued.Id))!;
    }

    /// <summary>The version's folder in this bed's data directory.</summary>
    public string Folder(ModelVersionRecord version) => Data.Resolve(version.ArtifactDirectory!);

    /// <summary>The audit actions recorded for <paramref name="subject"/>, oldest first.</summary>
    public async Task<IReadOnlyList<AuditEvent>> AuditOfAsync(string subject) =>
        [.. (await Audit.ListAsync(0, 500)).Where(e => e.Subject == subject).Reverse()];

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Data.Root, recursive: true);
    }

    // No bucket is configured here: a promotion that opened one would be a bug, so it fails loudly.
    private sealed class NoBuckets : IObjectStoreFactory
    {
        public IObjectStore Open(string bucket) => throw new InvalidOperationException($"This bed has no bucket; something tried to open s3://{bucket}.");
    }
}

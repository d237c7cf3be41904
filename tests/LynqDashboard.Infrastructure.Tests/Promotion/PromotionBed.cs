using LynqDashboard.Core;
using LynqDashboard.Core.Artifacts;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Infrastructure.Registry;
using LynqDashboard.Infrastructure.Storage;
using LynqDashboard.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using VersionStatus = LynqDashboard.Core.Registry.VersionStatus;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Infrastructure.Tests.Promotion;

/// <summary>
/// Everything a promotion touches, real: a SQLite registry with trained versions, the local S3 server with a fresh
/// bucket, and the fault-injecting proxy between the workflow and the server. Tests inspect the bucket directly.
/// </summary>
public sealed class PromotionBed : IAsyncDisposable
{
    public static readonly PromotionGates LenientGates = new(MinRocAuc: 0.6, MaxCalibrationError: 0.2);

    private readonly RegistryFixture _registry;
    private readonly RecordingScheduler _scheduler = new();
    private readonly RecordingPublisher _publisher = new();
    private readonly IAmazonS3 _workflowClient;
    private readonly ServiceProvider _services;

    private PromotionBed(RegistryFixture registry, FaultyS3Proxy proxy, IAmazonS3 direct, string bucket, S3Endpoint endpoint, PromotionGates gates, bool withReports)
    {
        (_registry, Proxy, Direct, Bucket, Endpoint) = (registry, proxy, direct, bucket, endpoint);
        _workflowClient = endpoint.CreateClient(new BasicAWSCredentials("test", "test"));
        Stores = new S3ObjectStoreFactory(_workflowClient, endpoint, S3ObjectStore.DefaultPartSize);
        Promotions = new EfPromotionRegistry(registry.Contexts, TimeProvider.System);

        // The graph as the dashboard and the command line get it (AddLynqCore), on this bed's registry, bucket and recorders.
        var services = new ServiceCollection()
            .AddLynqCore()
            .AddSingleton(registry.Registry)
            .AddSingleton<IPromotionRegistry>(Promotions)
            .AddSingleton<IAuditLog>(Promotions)
            .AddSingleton<IObjectStoreFactory>(Stores)
            .AddSingleton<IArtifactStore>(new LocalArtifactStore(registry.Data))
            .AddSingleton(registry.Data)
            .AddSingleton(JobDurability.InMemory)
            .AddSingleton<IJobScheduler>(_scheduler)
            .AddSingleton<IRunUpdatePublisher>(_publisher)
            .AddSingleton(new PromotionTarget(bucket))
            .AddSingleton(gates);
        if (withReports)
        {
            // As AddLynqInfrastructure registers them: versions then carry model_report.pdf, and promotions upload it.
            services.AddSingleton<Core.Reports.ModelReportBuilder>().AddSingleton<IModelReports, Infrastructure.Reports.ModelReports>();
        }

        _services = services.BuildServiceProvider();
        Reports = _services.GetService<IModelReports>();
        Commands = _services.GetRequiredService<PromotionCommands>();
        Workflow = _services.GetRequiredService<PromotionWorkflow>();
        Generation = _services.GetRequiredService<DatasetGenerationWorkflow>();
        Training = _services.GetRequiredService<ModelTrainingWorkflow>();
        RegistryCommands = _services.GetRequiredService<RegistryCommands>();
    }

    public FaultyS3Proxy Proxy { get; }

    /// <summary>A client straight to the server, past the proxy: what is really in the bucket.</summary>
    public IAmazonS3 Direct { get; }

    public string Bucket { get; }

    public S3Endpoint Endpoint { get; }

    public IModelRegistry Registry => _registry.Registry;

    public EfPromotionRegistry Promotions { get; }

    public PromotionCommands Commands { get; }

    public PromotionWorkflow Workflow { get; }

    /// <summary>The documentation pack writer; null unless the bed was made with reports.</summary>
    public IModelReports? Reports { get; }

    public S3ObjectStoreFactory Stores { get; }

    public DataDirectory Data => _registry.Data;

    public RegistryFixture RegistryFixture => _registry;

    public IReadOnlyList<RunUpdate> Updates => _publisher.Updates;

    private DatasetGenerationWorkflow Generation { get; }

    private ModelTrainingWorkflow Training { get; }

    private RegistryCommands RegistryCommands { get; }

    /// <param name="server">The local S3 server of the test class.</param>
    /// <param name="gates">Quality gates (lenient by default: small test models).</param>
    /// <param name="timeout">Per-request timeout of the workflow's client.</param>
    /// <param name="maxRetries">Retries of the workflow's client.</param>
    /// <param name="createBucket">False to leave the bucket missing.</param>
    /// <param name="withReports">True writes each version's documentation pack at training (off by default, so the other tests' request counts stay those of model and config).</param>
    public static async Task<PromotionBed> CreateAsync(S3ServerFixture server, PromotionGates? gates = null, TimeSpan? timeout = null, int maxRetries = 2, bool createBucket = true, bool withReports = false)
    {
        var registry = await RegistryFixture.CreateAsync();
        var proxy = await FaultyS3Proxy.StartAsync(server.ServiceUrl);
        var bucket = $"promo-{Guid.NewGuid():N}"[..28];
        var direct = server.CreateClient();
        if (createBucket)
        {
            await direct.PutBucketAsync(bucket);
        }

        var endpoint = new S3Endpoint(ServiceUrl: proxy.Url, ForcePathStyle: true, Timeout: timeout ?? TimeSpan.FromSeconds(10), MaxRetries: maxRetries);
        return new PromotionBed(registry, proxy, direct, bucket, endpoint, gates ?? LenientGates, withReports);
    }

    /// <summary>Generates a small dataset and trains a Ready version on it, through the real workflows.</summary>
    public async Task<ModelVersionRecord> TrainAsync(int seed = 4, int trees = 20, LabelMode labelMode = LabelMode.Probabilistic)
    {
        var dataset = await RegistryCommands.GenerateAsync(new DatasetParameters(8_000, seed, LabelMode: labelMode));
        await Generation.RunAsync(dataset.Id, CancellationToken.None);
        var version = await RegistryCommands.TrainAsync(dataset.Id, new TrainingParameters(Trees: trees, Seed: seed));
        await Training.RunAsync(version.Id, CancellationToken.None);
        var ready = (await Registry.GetVersionAsync(version.Id))!;
        Assert.Equal(VersionStatus.Ready, ready.Status);
        return ready;
    }

    /// <summary>Asks for the promotion and runs its job to the end; returns the finished record.</summary>
    /// <summary>Runs the promotion an approval queues (the approval itself is Governance's, tested there).</summary>
    public async Task<PromotionRecord> PromoteAsync(int number, string? leakageReason = null)
    {
        var requested = await Commands.PromoteAsync(number, "risk.lead@lynq.test", leakageReason, requestId: Guid.NewGuid());
        await Workflow.RunAsync(requested.Id, CancellationToken.None);
        return (await Promotions.GetPromotionAsync(requested.Id))!;
    }

    public async Task<PromotionRecord> RollbackAsync()
    {
        var requested = await Commands.RollbackAsync("risk.lead@lynq.test");
        await Workflow.RunAsync(requested.Id, CancellationToken.None);
        return (await Promotions.GetPromotionAsync(requested.Id))!;
    }

    /// <summary>SHA-256 of an object's bytes as the server holds them; null when it does not exist.</summary>
    public async Task<string?> ShaAsync(string key)
    {
        try
        {
            using var response = await Direct.GetObjectAsync(Bucket, key);
            using var memory = new MemoryStream();
            await response.ResponseStream.CopyToAsync(memory);
            return Convert.ToHexStringLower(SHA256.HashData(memory.ToArray()));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<T> ReadJsonAsync<T>(string key)
    {
        using var response = await Direct.GetObjectAsync(Bucket, key);
        return (await JsonSerializer.DeserializeAsync<T>(response.ResponseStream, LynqJson.Options))!;
    }

    public async Task<List<string>> KeysAsync() =>
        [.. ((await Direct.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket })).S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal)];

    /// <summary>The SHA-256 of a version's file on disk, as the registry recorded it.</summary>
    public static string RegistrySha(ModelVersionRecord version, string file) => version.Artifacts.Single(a => a.Name == file).Sha256;

    public async Task<VersionStatus> StatusOfAsync(int number) => (await Registry.GetVersionByNumberAsync(number))!.Status;

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _workflowClient.Dispose();
        Direct.Dispose();
        await Proxy.DisposeAsync();
        await _registry.DisposeAsync();
    }
}

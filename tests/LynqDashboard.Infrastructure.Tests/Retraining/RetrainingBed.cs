using System.Buffers.Binary;
using System.Collections.Concurrent;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Retraining;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Storage;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Core;
using LynqDashboard.Infrastructure.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Infrastructure.Tests.Retraining;

/// <summary>
/// The dashboard's graph on a SQLite file and a local data folder, with a job scheduler that runs generation and
/// training at once on the thread pool (as Hangfire's workers would), and the retraining runner polling every 50 ms.
/// </summary>
public sealed class RetrainingBed : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private RetrainingBed(DataDirectory data, PromotionGates gates)
    {
        Data = data;
        var jobs = new ThreadPoolJobs();
        _services = new ServiceCollection()
            .AddLynqInfrastructure(data.RegistryDatabase)
            .AddLynqCore()
            .AddSingleton(data)
            .AddSingleton<IArtifactStore>(new LocalArtifactStore(data))
            .AddSingleton<IJobScheduler>(jobs)
            .AddSingleton<IRunUpdatePublisher, RecordingPublisher>()
            .AddSingleton(JobDurability.InMemory)
            .AddSingleton(new PromotionTarget(null))
            .AddSingleton(gates)
            .AddSingleton<LedgerDatasetBuilder>()
            .AddSingleton(provider => ActivatorUtilities.CreateInstance<RetrainingRunner>(provider, (TimeSpan?)TimeSpan.FromMilliseconds(50)))
            .BuildServiceProvider();
        jobs.Services = _services;
    }

    public DataDirectory Data { get; }

    public IModelRegistry Registry => _services.GetRequiredService<IModelRegistry>();

    public IRetrainingStore Store => _services.GetRequiredService<IRetrainingStore>();

    public RetrainingRunner Runner => _services.GetRequiredService<RetrainingRunner>();

    public PromotionRequests Requests => _services.GetRequiredService<PromotionRequests>();

    public IPromotionRegistry Promotions => _services.GetRequiredService<IPromotionRegistry>();

    public IDecisionStore Decisions => _services.GetRequiredService<IDecisionStore>();

    public static async Task<RetrainingBed> CreateAsync(PromotionGates? gates = null)
    {
        var data = new DataDirectory(Path.Combine(Path.GetTempPath(), "lynq-retraining-tests", Guid.NewGuid().ToString("N")));
        data.EnsureCreated();
        var bed = new RetrainingBed(data, gates ?? new PromotionGates(MinRocAuc: 0.6, MaxCalibrationError: 0.2));
        await RegistryDatabase.MigrateAsync(bed._services.GetRequiredService<IDbContextFactory<RegistryDbContext>>());
        return bed;
    }

    /// <summary>A schedule made by ana, straight into the store (validation has its own tests).</summary>
    public Task<RetrainingSchedule> AddScheduleAsync(ScheduleSource source, int rows = 3_000, int trees = 30) => Store.AddScheduleAsync(new RetrainingSchedule
    {
        Name = $"{source} {Guid.NewGuid():N}",
        Cron = "0 2 * * *",
        Source = source,
        Generate = source == ScheduleSource.Generate ? new DatasetParameters(rows, 11) : null,
        LedgerWindowDays = 30,
        Training = new Core.Training.TrainingParameters(Trees: trees, MinExamplesPerLeaf: 20),
        CreatedBy = "ana@lynq.test",
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    });

    /// <summary>
    /// Writes <paramref name="count"/> decisions of the last day to the ledger (generated applicants), and reports an
    /// outcome for every one but each tenth; returns how many got an outcome and how many of those defaulted.
    /// </summary>
    public async Task<(int WithOutcome, int Defaults)> FillLedgerAsync(int count, long seed = 5)
    {
        var now = DateTimeOffset.UtcNow;
        var loans = new DatasetGenerator(new DatasetParameters(count, seed)).Rows().ToList();
        await Decisions.AppendAsync([.. loans.Select((loan, i) => Decision(i, now.AddDays(-1).AddSeconds(i * 10), loan))]);
        var outcomes = loans.Select((loan, i) => (loan, i)).Where(x => x.i % 10 != 9).Select(x => new OutcomeSubmission($"req-{x.i}", x.loan.Default, now.AddMinutes(-5))).ToList();
        await Decisions.RecordOutcomesAsync(outcomes, "test");
        return (outcomes.Count, outcomes.Count(o => o.Defaulted));
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        // A training's last files (its report) may still be closing when the run has returned: try again briefly.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(Data.Root, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 20)
            {
                await Task.Delay(100);
            }
        }
    }

    private static DecisionRecord Decision(int i, DateTimeOffset at, GeneratedLoan loan)
    {
        var features = new byte[LoanFeatures.Count * sizeof(double)];
        foreach (var feature in LoanFeatures.All)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(features.AsSpan(feature.Index * sizeof(double)), loan.Get(feature));
        }

        return new DecisionRecord
        {
            At = at,
            RequestId = $"req-{i}",
            Channel = DecisionChannels.Api,
            Caller = "key:test",
            ModelVersion = "1",
            ModelNumber = 1,
            ModelSha256 = new string('a', 64),
            PolicyVersion = 1,
            Features = features,
            DefaultProbability = loan.TruePd,
            CreditScore = 700,
            RiskLevel = "LOW",
            Action = "APPROVE",
            DecisionReason = "Low risk",
            ReasonCodes = string.Empty,
            ReasonCatalogueVersion = "2026.1",
            IsFallback = false,
        };
    }

    // Runs each queued job on the thread pool at once; a training queued behind a generation waits for it.
    private sealed class ThreadPoolJobs : IJobScheduler
    {
        private readonly ConcurrentDictionary<string, Task> _jobs = new();

        public IServiceProvider Services { get; set; } = null!;

        public string EnqueueGeneration(Guid datasetId) =>
            Add(() => Services.GetRequiredService<DatasetGenerationWorkflow>().RunAsync(datasetId, CancellationToken.None));

        public string EnqueueTraining(Guid versionId, string? afterJobId = null) => Add(async () =>
        {
            if (afterJobId is not null && _jobs.TryGetValue(afterJobId, out var before))
            {
                await before;
            }

            await Services.GetRequiredService<ModelTrainingWorkflow>().RunAsync(versionId, CancellationToken.None);
        });

        public string EnqueuePromotion(Guid promotionId) => throw new InvalidOperationException("A retraining run queued a promotion: it must never promote.");

        public void Delete(string jobId)
        {
        }

        private string Add(Func<Task> work)
        {
            var id = $"job-{Guid.NewGuid():N}";
            _jobs[id] = Task.Run(async () =>
            {
                await Task.Delay(20); // the record's job id is saved first, as with Hangfire
                await work();
            });
            return id;
        }
    }
}

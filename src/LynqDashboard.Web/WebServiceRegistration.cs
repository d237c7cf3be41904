using LynqDashboard.Web.Challengers;
using Hangfire;
using Hangfire.PostgreSql;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Web.Observability;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Core;
using LynqDashboard.Infrastructure;
using LynqDashboard.Infrastructure.Storage;
using System.Threading.RateLimiting;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Configuration;
using LynqDashboard.Web.Endpoints;
using LynqDashboard.Web.Scoring;
using LynqDashboard.Web.Jobs;
using LynqDashboard.Web.Live;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Monitoring;
using LynqDashboard.Web.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Storage;
using LynqDashboard.Web.Retraining;

namespace LynqDashboard.Web;

/// <summary>The web project's one place that registers its services, by process role.</summary>
public static class WebServiceRegistration
{
    public static IServiceCollection AddLynqWeb(this IServiceCollection services, IConfiguration configuration)
    {
        var role = ReadRole(configuration);
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        services.AddSingleton(new ProcessRoleInfo(role));
        AddShared(services, configuration, storage);
        if (role != ProcessRole.Scoring)
        {
            AddJobs(services, storage, runsJobs: role is ProcessRole.All or ProcessRole.Worker);
        }

        if (role != ProcessRole.Worker)
        {
            AddScoring(services, role);
        }

        if (role is ProcessRole.All or ProcessRole.Web)
        {
            AddDashboard(services, configuration, storage);
        }

        services.AddLynqMonitoring(configuration, role);
        services.AddLynqChallengers(role);
        services.AddLynqRetraining(role);

        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
        return services;
    }

    /// <summary>The role, read before anything is registered (it decides what is); a bad value names the key.</summary>
    public static ProcessRole ReadRole(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[$"{LynqOptions.Section}:{nameof(LynqOptions.Role)}"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return ProcessRole.All;
        }

        return Enum.TryParse<ProcessRole>(value.Trim(), ignoreCase: true, out var role) && Enum.IsDefined(role) && !int.TryParse(value, out _)
            ? role
            : throw new OptionsValidationException(LynqOptions.Section, typeof(LynqOptions),
                [$"{LynqOptions.Section}:Role '{value}' is not a role: use All, Web, Worker or Scoring (or set LYNQ_ROLE)."]);
    }

    // What every role needs: configuration, the clock, the data folder, the registry, artifacts and the update hub.
    private static void AddShared(IServiceCollection services, IConfiguration configuration, StorageOptions storage)
    {
        services.AddOptions<LynqOptions>().Bind(configuration.GetSection(LynqOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LynqOptions>, LynqOptionsValidator>();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddOptions<ScoringOptions>().Bind(configuration.GetSection(ScoringOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ScoringOptions>, ScoringOptionsValidator>();
        services.AddOptions<ReasonsOptions>().Bind(configuration.GetSection(ReasonsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReasonsOptions>, ReasonsOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AppUptime>();
        services.AddSingleton(provider => new DataDirectory(provider.GetRequiredService<IOptions<LynqOptions>>().Value.DataDirectory));
        services.AddLynqInfrastructure(new RegistryConnection(
            storage.IsPostgres ? storage.ConnectionString : null,
            provider => provider.GetRequiredService<DataDirectory>().RegistryDatabase,
            storage.Schema));
        services.AddSingleton(new JobDurability(storage.IsPostgres));
        services.AddHostedService<RegistryStartup>();
        services.AddSingleton<RunUpdateHub>();
        services.AddSingleton<IRunUpdatePublisher>(provider => provider.GetRequiredService<RunUpdateHub>());
        services.AddSingleton<ActiveModel>();
        services.AddSingleton<LynqMetrics>();
        services.AddLynqProxy(configuration);
        services.AddProblemDetails();
        services.AddExceptionHandler<LynqExceptionHandler>();

        // S3: one client setup (Lynq:S3, its old keys still read) for the promotion bucket, the artifact bucket of a
        // scale-out and a scoring node's model.
        var renamed = RenamedS3Keys.Find(configuration);
        services.AddSingleton(renamed);
        services.AddHostedService<RenamedS3KeysWarning>();
        services.AddLynqObjectStore(renamed.KeyOf).Configure(renamed.FillIn).Bind(configuration.GetSection(S3Options.Section));
        services.AddOptions<PromotionOptions>().Bind(configuration.GetSection(PromotionOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PromotionOptions>, PromotionOptionsValidator>();
        services.AddOptions<GovernanceOptions>().Bind(configuration.GetSection(GovernanceOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GovernanceOptions>, GovernanceOptionsValidator>();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<GovernanceOptions>>().Value.ToRule());
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<GovernanceOptions>>().Value.ToGates());
        services.AddSingleton<IArtifactStore>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            var data = provider.GetRequiredService<DataDirectory>();
            return options.IsPostgres
                ? new BucketArtifactStore(provider.GetRequiredService<IObjectStoreFactory>().Open(options.ArtifactBucket!), options.ArtifactPrefix, data)
                : new LocalArtifactStore(data);
        });
    }

    // Jobs: every role but scoring enqueues or runs them; only All and Worker run a job server.
    private static void AddJobs(IServiceCollection services, StorageOptions storage, bool runsJobs)
    {
        services.AddLynqCore();
        services.AddSingleton<IJobScheduler, HangfireJobScheduler>();
        services.AddTransient<GenerateDatasetJob>();
        services.AddTransient<TrainModelJob>();
        services.AddHangfire((provider, config) =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (options.IsPostgres)
            {
                // A job whose worker stops answering (killed, its machine gone) becomes visible to the other workers
                // once JobTimeoutSeconds pass without the worker's heartbeat; a live worker keeps sliding it forward.
                config.UsePostgreSqlStorage(bootstrap => bootstrap.UseNpgsqlConnection(options.ConnectionString), new PostgreSqlStorageOptions
                {
                    SchemaName = options.JobsSchema,
                    PrepareSchemaIfNecessary = true,
                    InvisibilityTimeout = TimeSpan.FromSeconds(options.JobTimeoutSeconds),
                    UseSlidingInvisibilityTimeout = true,
                    QueuePollInterval = TimeSpan.FromSeconds(1),
                });
            }
            else
            {
                config.UseInMemoryStorage();
            }
        });

        // Promotion: commands enqueue (web), the workflow runs where jobs run.
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<PromotionOptions>>().Value.ToTarget());
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<PromotionOptions>>().Value.Gates.ToGates());
        services.AddTransient<PromoteVersionJob>();

        // Runs whose job vanished (deleted in /jobs, a lock timeout, a dead worker) are found here and marked interrupted.
        services.AddSingleton<IJobInspector>(provider => new HangfireJobInspector(provider.GetRequiredService<JobStorage>(), provider.GetRequiredService<TimeProvider>(),
            TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<LynqOptions>>().Value.Jobs.ServerGoneSeconds)));
        services.AddSingleton(provider => new StalledRunRules(TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<LynqOptions>>().Value.Jobs.QueuedWithoutJobSeconds)));
        services.AddHostedService<StalledRunWatch>();
        if (runsJobs)
        {
            // Hosted services start in order: migrations and crash recovery (RegistryStartup) finish before the servers take work.
            // Generation and training share Lynq:Workers; promotions and rollbacks have a worker of their own, so one
            // never waits behind a long training.
            services.AddHangfireServer((provider, server) =>
            {
                server.WorkerCount = provider.GetRequiredService<IOptions<LynqOptions>>().Value.Workers;
                server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
                server.Queues = [JobQueues.Default];
            });
            services.AddHangfireServer((_, server) =>
            {
                server.WorkerCount = 1;
                server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:{JobQueues.Promotions}";
                server.Queues = [JobQueues.Promotions];
            });
            services.AddHangfireServer((_, server) =>
            {
                server.WorkerCount = 1;
                server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:{JobQueues.Retraining}";
                server.Queues = [JobQueues.Retraining];
            });
        }
    }

    // The scoring API: every role but worker.
    private static void AddScoring(IServiceCollection services, ProcessRole role)
    {
        services.AddSingleton<LocalModelSource>();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<ScoringOptions>>().Value.ToModelLocation());
        services.AddSingleton<IModelSource>(provider => provider.GetRequiredService<IOptions<ScoringOptions>>().Value.UsesS3
            ? provider.GetRequiredService<S3ModelSource>()
            : provider.GetRequiredService<LocalModelSource>());
        // Every scoring path (API, Score page, batch, version page) reads the one active policy; the registry's active
        // version replaces the configured one at start (PolicyRefreshService, after RegistryStartup's migrations).
        services.AddSingleton(provider => new ActivePolicy(provider.GetRequiredService<IOptions<ScoringOptions>>().Value.RiskPolicy.ToPolicy()));
        // The reason catalogue is configuration (Lynq:Reasons over the embedded default), read once at start.
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<ReasonsOptions>>().Value.ToCatalogue());
        services.AddSingleton(provider => new CreditScorer(provider.GetRequiredService<ActivePolicy>(), provider.GetRequiredService<ReasonCatalogue>()));
        services.AddHostedService<PolicyRefreshService>();
        services.AddSingleton<ApiKeyRing>();
        services.AddSingleton<ApiKeyGuard>();
        services.AddHostedService<ApiKeyRefreshService>();
        services.AddHostedService<ModelRefreshService>();
        services.TryAddSingleton<ScoringModels>(); // the shadow and split versions load through it
        services.AddOpenApi();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // An address sending wrong keys is turned away by ApiKeyGuard (429) before this limiter would make a
            // partition for each made-up key it sends.
            limiter.AddPolicy(ScoringEndpoints.RateLimitPolicy, context => context.RequestServices.GetRequiredService<ApiKeyGuard>().BlockedFor(context) is not null
                ? RateLimitPartition.GetNoLimiter("throttled-address")
                : RateLimitPartition.GetFixedWindowLimiter(
                    ApiKeyRing.Fingerprint(context.Request.Headers[ApiKeyRing.Header]),
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = context.RequestServices.GetRequiredService<IOptions<ScoringOptions>>().Value.PermitsPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    }));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
                rejected.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await TypedResults.Problem($"This API key made too many requests; retry after {Math.Ceiling(retryAfter.TotalSeconds)} s.", statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
        if (role == ProcessRole.Scoring)
        {
            // No sign-in here: the API key is the credential. Authorization stays so endpoints marked anonymous still route.
            services.AddAuthorization();
        }
    }

    // Pages and the dashboard API: All and Web.
    private static void AddDashboard(IServiceCollection services, IConfiguration configuration, StorageOptions storage)
    {
        services.AddLynqSecurity(configuration, storage.IsPostgres);
        if (storage.IsPostgres)
        {
            services.AddHostedService<RunStatePoller>();
        }

        // Bottom left: the actions (Cancel, Retry, Delete, row buttons) sit on the right, and a notice over Cancel
        // would hide it exactly when it is wanted.
        services.AddMudServices(mud => mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomLeft);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddScoped<VersionDetailsLoader>();
        services.AddScoped<PromotionsLoader>();
        services.AddScoped<PolicySnapshotLoader>();
        services.AddScoped<MonitoringPageLoader>();
        services.AddScoped<MonitoringActions>();
        services.AddScoped<ViewerClock>();
        services.TryAddSingleton<ScoringModels>();
        services.AddSingleton<ScoredFiles>();
    }
}

/// <summary>The role this process was started in.</summary>
public sealed record ProcessRoleInfo(ProcessRole Role)
{
    public bool ServesDashboard => Role is ProcessRole.All or ProcessRole.Web;

    public bool ServesScoring => Role != ProcessRole.Worker;
}

/// <summary>When this process started, from the one clock.</summary>
public sealed class AppUptime(TimeProvider clock)
{
    private readonly DateTimeOffset _started = clock.GetUtcNow();

    public double Seconds => Math.Round((clock.GetUtcNow() - _started).TotalSeconds, 1);
}

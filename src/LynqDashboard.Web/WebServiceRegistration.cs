using Hangfire;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Workflows;
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
using LynqDashboard.Web.Security;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace LynqDashboard.Web;

/// <summary>The web project's one place that registers its services.</summary>
public static class WebServiceRegistration
{
    public static IServiceCollection AddLynqWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LynqOptions>().Bind(configuration.GetSection(LynqOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LynqOptions>, LynqOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AppUptime>();
        services.AddSingleton(provider => new DataDirectory(provider.GetRequiredService<IOptions<LynqOptions>>().Value.DataDirectory));
        services.AddLynqInfrastructure(provider => provider.GetRequiredService<DataDirectory>().RegistryDatabase);

        // Jobs and their live updates.
        services.AddSingleton<RunUpdateHub>();
        services.AddSingleton<IRunUpdatePublisher>(provider => provider.GetRequiredService<RunUpdateHub>());
        services.AddSingleton<RunCancellations>();
        services.AddSingleton<DatasetGenerationWorkflow>();
        services.AddSingleton<ModelTrainingWorkflow>();
        services.AddSingleton<RegistryCommands>();
        services.AddSingleton<IJobScheduler, HangfireJobScheduler>();
        services.AddTransient<GenerateDatasetJob>();
        services.AddTransient<TrainModelJob>();
        services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseInMemoryStorage());

        // Migrations and crash recovery must finish before the job server takes work: hosted services start in order.
        services.AddHostedService<RegistryStartup>();
        services.AddLynqSecurity(configuration);
        services.AddHangfireServer((provider, server) => server.WorkerCount = provider.GetRequiredService<IOptions<LynqOptions>>().Value.Workers);

        // Promotion to S3: the workflow in Core, the bucket through AWSSDK.S3 with the standard credential chain.
        services.AddOptions<PromotionOptions>().Bind(configuration.GetSection(PromotionOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PromotionOptions>, PromotionOptionsValidator>();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<PromotionOptions>>().Value.ToTarget());
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<PromotionOptions>>().Value.Gates.ToGates());
        services.AddSingleton<IModelStoreFactory>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<PromotionOptions>>().Value;
            var endpoint = options.ToEndpoint();
            return new S3ModelStoreFactory(new Lazy<Amazon.S3.IAmazonS3>(endpoint.CreateClient), endpoint, (long)options.PartSizeMiB << 20);
        });
        services.AddSingleton<PromotionPreflight>();
        services.AddSingleton<RollbackWorkflow>();
        services.AddSingleton<PromotionWorkflow>();
        services.AddSingleton<PromotionCommands>();
        services.AddTransient<PromoteVersionJob>();

        // Scoring API.
        services.AddOptions<ScoringOptions>().Bind(configuration.GetSection(ScoringOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ScoringOptions>, ScoringOptionsValidator>();
        services.AddSingleton<ActiveModel>();
        services.AddSingleton<LocalModelSource>();
        services.AddSingleton(provider => CreateS3Source(provider));
        services.AddSingleton<IModelSource>(provider => provider.GetRequiredService<IOptions<ScoringOptions>>().Value.UsesS3
            ? provider.GetRequiredService<S3ModelSource>()
            : provider.GetRequiredService<LocalModelSource>());
        services.AddSingleton(provider => new CreditScorer(provider.GetRequiredService<IOptions<ScoringOptions>>().Value.RiskPolicy.ToPolicy()));
        services.AddSingleton<ApiKeyRing>();
        services.AddHostedService<ModelRefreshService>();
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(ScoringEndpoints.RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
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

        // Pages.
        services.AddMudServices();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddScoped<VersionDetailsLoader>();
        services.AddScoped<PromotionsLoader>();
        services.AddScoped<ViewerClock>();
        services.AddSingleton<ScoringModels>();
        services.AddSingleton<ScoredFiles>();
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
        return services;
    }

    // Credentials come from the standard AWS chain (environment, profile, instance role); nothing here holds a secret.
    private static S3ModelSource CreateS3Source(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<ScoringOptions>>().Value;
        var endpoint = new S3Endpoint(options.S3Region, options.S3ServiceUrl, options.S3ForcePathStyle);
        return new S3ModelSource(endpoint.CreateClient(), new S3ModelLocation(options.S3Bucket!, options.S3Key),
            provider.GetRequiredService<DataDirectory>(), provider.GetRequiredService<ActiveModel>(), provider.GetRequiredService<TimeProvider>());
    }
}

/// <summary>When this process started, from the one clock.</summary>
public sealed class AppUptime(TimeProvider clock)
{
    private readonly DateTimeOffset _started = clock.GetUtcNow();

    public double Seconds => Math.Round((clock.GetUtcNow() - _started).TotalSeconds, 1);
}

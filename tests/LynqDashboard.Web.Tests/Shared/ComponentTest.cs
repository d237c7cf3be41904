using Bunit;
using LynqDashboard.Core;
using LynqDashboard.Web.Live;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Storage;
using LynqDashboard.Infrastructure.Identity;
using LynqDashboard.Infrastructure.Registry;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LynqDashboard.Web.Tests.Shared;

/// <summary>bUnit with MudBlazor and the dashboard's services over in-memory fakes.</summary>
public abstract class ComponentTest : BunitContext
{
    protected ComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<LynqDashboard.Core.Registry.IModelRegistry>(Registry);
        Services.AddSingleton(Hub);
        Services.AddSingleton<IRunUpdatePublisher>(Hub);
        Services.AddSingleton(Data);
        Services.AddSingleton<LynqDashboard.Core.Artifacts.IArtifactStore>(new LynqDashboard.Core.Artifacts.LocalArtifactStore(Data));
        Services.AddSingleton(Scheduler);
        Services.AddSingleton<IJobScheduler>(Scheduler);
        Services.AddSingleton(JobDurability.InMemory);
        Services.AddLynqCore();
        Services.AddSingleton<VersionDetailsLoader>();
        Services.AddSingleton<ViewerClock>();
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new Web.Configuration.LynqOptions()));
        Services.AddSingleton(Active);
        Services.AddSingleton(ActivePolicy);
        Services.AddSingleton<LynqDashboard.Core.Scoring.IPolicyRegistry>(_ => Policies);
        Services.AddSingleton(new LynqDashboard.Core.Scoring.CreditScorer(ActivePolicy));
        Services.AddSingleton<LynqDashboard.Web.Scoring.ScoringModels>();
        Services.AddSingleton(ScoredFiles);
        Services.AddSingleton(Promotions);
        Services.AddSingleton<LynqDashboard.Core.Registry.IPromotionRegistry>(Promotions);
        Services.AddSingleton<LynqDashboard.Core.Registry.IAuditLog>(Promotions);
        Services.AddSingleton(Stores);
        Services.AddSingleton<LynqDashboard.Core.Storage.IObjectStoreFactory>(Stores);
        Services.AddSingleton(_ => Target);
        Services.AddSingleton(new LynqDashboard.Core.Promotion.PromotionGates());
        Services.AddSingleton<LynqDashboard.Core.Governance.IPromotionRequestRegistry>(Requests);
        Services.AddSingleton<LynqDashboard.Core.Artifacts.IModelReports>(Reports);
        Services.AddSingleton<PromotionsLoader>();
        Services.AddSingleton<PolicySnapshotLoader>();
        Services.AddSingleton<LynqDashboard.Web.Security.UserAccess>();
        Services.AddSingleton<LynqDashboard.Web.Security.DashboardActions>();
        AddAdminActions();
        AddMonitoring();
        Services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(new Microsoft.Extensions.Logging.LoggerFactory([new CollectingProvider(Log)]));
        Services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(Microsoft.Extensions.Logging.Logger<>));
        Services.AddSingleton<LynqDashboard.Core.Monitoring.IDecisionLedger>(Ledger);
        Services.AddSingleton<LynqDashboard.Web.Monitoring.DecisionRecorder>();
        Services.AddTrafficSimulation(Web.Configuration.ProcessRole.All);
        Auth = AddAuthorization();
        SignInAs(LynqDashboard.Core.Access.LynqRoles.Admin);
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
    }

    // The Admin pages' actions over real Identity on a SQLite file, made (and migrated) only when a test renders one.
    private void AddAdminActions()
    {
        Services.AddDbContextFactory<RegistryDbContext>(options => options.UseSqlite($"Data Source={Data.RegistryDatabase}"));
        Services.AddIdentityCore<LynqUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<RegistryDbContext>();
        Services.AddSingleton<LynqDashboard.Core.Registry.IApiKeyStore, EfApiKeyStore>();
        Services.AddSingleton<LynqDashboard.Core.Access.IUserSessionStore, EfUserSessionStore>();
        Services.AddSingleton<LynqDashboard.Web.Scoring.ApiKeyRing>();
        Services.AddSingleton<LynqDashboard.Web.Security.SignInSessions>();
        Services.AddScoped(provider =>
        {
            Data.EnsureCreated();
            using (var db = provider.GetRequiredService<IDbContextFactory<RegistryDbContext>>().CreateDbContext())
            {
                db.Database.Migrate();
            }

            return ActivatorUtilities.CreateInstance<LynqDashboard.Web.Security.AdminActions>(provider);
        });
    }

    // Monitoring's store over the same SQLite file (migrated when first asked for), and a runner the test prepares.
    private void AddMonitoring()
    {
        Services.AddSingleton<LynqDashboard.Core.Monitoring.IMonitoringStore>(provider =>
        {
            var contexts = provider.GetRequiredService<IDbContextFactory<RegistryDbContext>>();
            Data.EnsureCreated();
            using (var db = contexts.CreateDbContext())
            {
                db.Database.Migrate();
            }

            return new EfMonitoringStore(contexts, TimeProvider.System);
        });
        Services.AddSingleton<LynqDashboard.Core.Monitoring.IDecisionStore>(provider =>
        {
            _ = provider.GetRequiredService<LynqDashboard.Core.Monitoring.IMonitoringStore>(); // the same file, migrated once
            return new EfDecisionStore(provider.GetRequiredService<IDbContextFactory<RegistryDbContext>>(), TimeProvider.System);
        });
        MonitoringRunner = new FakeMonitoringRunner(() => Services.GetRequiredService<LynqDashboard.Core.Monitoring.IMonitoringStore>());
        Services.AddSingleton<LynqDashboard.Core.Monitoring.IMonitoringRunner>(MonitoringRunner);
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new Web.Configuration.MonitoringOptions()));
        Services.AddSingleton<LynqDashboard.Web.Monitoring.MonitoringSchedule>();
        Services.AddSingleton<LynqDashboard.Web.Observability.LynqMetrics>();
        Services.AddSingleton<LynqDashboard.Web.Monitoring.MonitoringMetrics>();
        Services.AddSingleton<LynqDashboard.Web.Monitoring.MonitoringNotices>();
        Services.AddSingleton<MonitoringPageLoader>();
        Services.AddSingleton<LynqDashboard.Web.Monitoring.MonitoringActions>();
        Services.AddSingleton<LynqDashboard.Core.Retraining.IRetrainingStore>(provider =>
        {
            _ = provider.GetRequiredService<LynqDashboard.Core.Monitoring.IMonitoringStore>(); // the same file, migrated once
            return new EfRetrainingStore(provider.GetRequiredService<IDbContextFactory<RegistryDbContext>>());
        });
        Services.AddSingleton<LynqDashboard.Core.Retraining.IRetrainingScheduler>(RetrainingScheduler);
        Services.AddSingleton<LynqDashboard.Core.Retraining.RetrainingSchedules>();
        Services.AddScoped<LynqDashboard.Web.Retraining.ScheduleActions>();
        Services.AddSingleton<LynqDashboard.Core.Challengers.ActiveChallengers>();
        Services.AddSingleton<LynqDashboard.Web.Challengers.ChallengerRefresh>();
        Services.AddSingleton<LynqDashboard.Core.Challengers.ChallengerPointers>();
        Services.AddSingleton<LynqDashboard.Web.Challengers.ChallengerCommands>();
        Services.AddScoped<LynqDashboard.Web.Challengers.ChallengerActions>();
    }

    /// <summary>What the Schedules page asked Hangfire for: each run queued, each schedule synced.</summary>
    protected RecordingRetrainingScheduler RetrainingScheduler { get; } = new();

    /// <summary>What "Run monitoring now" stores; set <see cref="FakeMonitoringRunner.Next"/> first.</summary>
    protected FakeMonitoringRunner MonitoringRunner { get; private set; } = null!;

    /// <summary>Every line the rendered components logged (category, level, message, exception).</summary>
    protected System.Collections.Concurrent.ConcurrentQueue<string> Log { get; } = new();

    protected FakeRegistry Registry { get; } = new();

    protected KeepingLedger Ledger { get; } = new();

    protected FakeScheduler Scheduler { get; } = new();

    protected RunUpdateHub Hub { get; } = new(TimeProvider.System);

    protected LynqDashboard.Core.Scoring.ActiveModel Active { get; } = new(TimeProvider.System);

    protected LynqDashboard.Web.Scoring.ScoredFiles ScoredFiles { get; } = new();

    protected FakePromotions Promotions { get; } = new();

    protected FakePromotionRequests Requests { get; } = new();

    protected FakeReports Reports { get; } = new();

    /// <summary>The policy every scoring path here reads (the default, version 2, until a test saves or swaps one).</summary>
    protected LynqDashboard.Core.Scoring.ActivePolicy ActivePolicy { get; } = new();

    /// <summary>The stored policy versions; empty until a test seeds them.</summary>
    protected FakePolicies Policies => _policies ??= new FakePolicies(Promotions);

    private FakePolicies? _policies;

    /// <summary>Files <paramref name="trained"/> as Ready version <paramref name="number"/>: its folder here and its registry record. Returns the folder.</summary>
    protected async Task<string> AddReadyVersionAsync(LynqDashboard.Core.Training.TrainedModel trained, int number, int rows)
    {
        ArgumentNullException.ThrowIfNull(trained);
        var folder = Data.VersionFolder(number);
        LynqDashboard.Core.Artifacts.ModelArtifacts.Write(trained, number.ToString(System.Globalization.CultureInfo.InvariantCulture), "t", new LynqDashboard.Core.Artifacts.DatasetLineage("d.csv", "x", rows, null), folder);
        await Registry.AddVersionAsync(new LynqDashboard.Core.Registry.ModelVersionRecord
        {
            DatasetId = Guid.NewGuid(), Parameters = trained.Parameters, Status = LynqDashboard.Core.Registry.VersionStatus.Ready, ArtifactDirectory = Data.Relative(folder),
        });
        return folder;
    }

    /// <summary>Who the rendered components think is signed in; change it with <see cref="SignInAs"/>.</summary>
    protected Bunit.TestDoubles.BunitAuthorizationContext Auth { get; }

    /// <summary>Signs tester@lynq.test in with one role (roles include the lower ones through the app's policies).</summary>
    protected void SignInAs(string role) => Auth.SetAuthorized("tester@lynq.test").SetRoles(role).SetPolicies(
        [.. LynqDashboard.Core.Access.LynqRoles.All.Where(r => LynqDashboard.Core.Access.LynqRoles.Includes(role, r))]);

    protected FakeModelStores Stores { get; } = new();

    /// <summary>Where promotions go; set before the first render (promotion on, bucket lynq-models, by default).</summary>
    protected LynqDashboard.Core.Promotion.PromotionTarget Target { get; set; } = new("lynq-models");

    protected DataDirectory Data { get; } = new(Path.Combine(Path.GetTempPath(), "lynq-bunit", Guid.NewGuid().ToString("N")));
}

using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LynqDashboard.Core;

/// <summary>The core's one place that registers its services; the dashboard and the command line both call it.</summary>
public static class CoreServiceRegistration
{
    /// <summary>
    /// The workflows, the one run lifecycle of each record kind, and the commands people give (generate, train,
    /// promote, roll back). The host supplies what they stand on: the registries, an <see cref="Storage.IObjectStoreFactory"/>, an <see cref="Artifacts.IArtifactStore"/>,
    /// the <see cref="Storage.DataDirectory"/>, an <see cref="IJobScheduler"/> and <see cref="IRunUpdatePublisher"/>,
    /// <see cref="JobDurability"/>, the <see cref="PromotionTarget"/> and <see cref="PromotionGates"/>, the <see cref="Scoring.ActivePolicy"/> the
    /// <see cref="PromotionReviewer"/> replays (and, for the
    /// stalled-run sweep, an <see cref="IJobInspector"/> and <see cref="StalledRunRules"/>).
    /// </summary>
    public static IServiceCollection AddLynqCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RunCancellations>();
        services.AddSingleton<RunRecords<DatasetRecord>, DatasetRuns>();
        services.AddSingleton<RunRecords<ModelVersionRecord>, VersionRuns>();
        services.AddSingleton<RunRecords<PromotionRecord>, PromotionRuns>();
        services.AddSingleton(typeof(RunLifecycle<>));
        services.AddSingleton<DatasetGenerationWorkflow>();
        services.AddSingleton<ModelTrainingWorkflow>();
        services.AddSingleton<RegistryCommands>();
        services.AddSingleton<StalledRunRecovery>();
        services.AddSingleton<PromotionPreflight>();
        services.AddSingleton<RollbackWorkflow>();
        services.AddSingleton<PromotionWorkflow>();
        services.AddSingleton<PromotionCommands>();
        services.TryAddSingleton(new GovernanceGates());
        services.TryAddSingleton(new FourEyesRule());
        services.TryAddSingleton(new Scoring.ActivePolicy());
        services.AddSingleton<PromotionReviewer>();
        services.AddSingleton<PromotionRequests>();
        return services;
    }
}

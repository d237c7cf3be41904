using LynqDashboard.Core;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Storage;
using LynqDashboard.Infrastructure;
using LynqDashboard.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Cli;

/// <summary>
/// The command line's one place that registers services: the registrations the dashboard makes (Core, the registry,
/// S3), on the data directory's registry.db and local artifacts, with a scheduler that leaves the job to the command
/// itself and a publisher that forwards progress to the terminal.
/// </summary>
internal static class CliServiceRegistration
{
    /// <param name="data">The dashboard's data directory.</param>
    /// <param name="target">Where promotions go.</param>
    /// <param name="gates">The quality gates.</param>
    /// <param name="rule">The four-eyes rule promotions follow.</param>
    /// <param name="s3">Sets the S3 options from the command line (checked by <see cref="S3Options.Problems"/> before).</param>
    /// <param name="optionOf">The command-line option a validation message names for an S3 setting.</param>
    public static ServiceProvider BuildPromotionServices(DataDirectory data, PromotionTarget target, PromotionGates gates, Core.Governance.FourEyesRule rule, Action<S3Options> s3, Func<string, string> optionOf)
    {
        var services = new ServiceCollection().AddLynqInfrastructure(data.RegistryDatabase).AddLynqCore();
        services.AddLynqObjectStore(optionOf).Configure(s3);
        services.AddSingleton(data)
            .AddSingleton(target)
            .AddSingleton(gates)
            .AddSingleton(rule)
            .AddSingleton(JobDurability.InMemory)
            .AddSingleton<IArtifactStore, LocalArtifactStore>()
            .AddSingleton<IJobScheduler, InlineScheduler>()
            .AddSingleton<TerminalPublisher>()
            .AddSingleton<IRunUpdatePublisher>(provider => provider.GetRequiredService<TerminalPublisher>());
        return services.BuildServiceProvider();
    }
}

/// <summary>Hands each run update to whatever shows progress right now (the terminal's progress bar).</summary>
internal sealed class TerminalPublisher : IRunUpdatePublisher
{
    public Action<RunUpdate>? Forward { get; set; }

    public void Publish(RunUpdate update) => Forward?.Invoke(update);
}

// The command line runs the promotion itself, right after asking for it: nothing is queued elsewhere.
internal sealed class InlineScheduler : IJobScheduler
{
    public string EnqueueGeneration(Guid datasetId) => throw new NotSupportedException();

    public string EnqueueTraining(Guid versionId, string? afterJobId = null) => throw new NotSupportedException();

    public string EnqueuePromotion(Guid promotionId) => $"cli-{promotionId:N}";

    public void Delete(string jobId)
    {
    }
}

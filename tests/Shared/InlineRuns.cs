using LynqDashboard.Core;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Storage;
using LynqDashboard.Core.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Tests.Shared;

/// <summary>
/// Generation and training for code that runs the jobs itself: the registry commands and both workflows from the
/// graph the dashboard and the command line get (AddLynqCore), over the given registry and a local artifact folder.
/// </summary>
public sealed class InlineRuns : IDisposable
{
    private readonly ServiceProvider _services;

    /// <param name="registry">The registry the runs fill.</param>
    /// <param name="data">The data folder (artifacts are kept there).</param>
    /// <param name="scheduler">Where jobs would be queued; the caller runs them.</param>
    /// <param name="publisher">Where run updates go.</param>
    public InlineRuns(IModelRegistry registry, DataDirectory data, IJobScheduler scheduler, IRunUpdatePublisher publisher)
    {
        _services = new ServiceCollection()
            .AddLynqCore()
            .AddSingleton(registry)
            .AddSingleton(data)
            .AddSingleton<IArtifactStore>(new LocalArtifactStore(data))
            .AddSingleton(scheduler)
            .AddSingleton(publisher)
            .AddSingleton(JobDurability.InMemory)
            .BuildServiceProvider();
        Commands = _services.GetRequiredService<RegistryCommands>();
        Generation = _services.GetRequiredService<DatasetGenerationWorkflow>();
        Training = _services.GetRequiredService<ModelTrainingWorkflow>();
    }

    public RegistryCommands Commands { get; }

    public DatasetGenerationWorkflow Generation { get; }

    public ModelTrainingWorkflow Training { get; }

    public void Dispose() => _services.Dispose();
}

using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Storage;
using LynqDashboard.Core.Workflows;

namespace LynqDashboard.Tests.Shared;

/// <summary>
/// Generation and training for code that runs the jobs itself: the registry commands, both workflows and their run
/// lifecycles, wired as the web app wires them, over a local artifact folder.
/// </summary>
public sealed class InlineRuns
{
    /// <param name="registry">The registry the runs fill.</param>
    /// <param name="data">The data folder (artifacts are kept there).</param>
    /// <param name="scheduler">Where jobs would be queued; the caller runs them.</param>
    /// <param name="publisher">Where run updates go.</param>
    /// <param name="clock">The clock (default the system's).</param>
    /// <param name="durability">Whether jobs outlive the process (default in memory: they do not).</param>
    public InlineRuns(IModelRegistry registry, DataDirectory data, IJobScheduler scheduler, IRunUpdatePublisher publisher, TimeProvider? clock = null, JobDurability? durability = null)
    {
        clock ??= TimeProvider.System;
        durability ??= JobDurability.InMemory;
        var artifacts = new LocalArtifactStore(data);
        Datasets = new RunLifecycle<DatasetRecord>(new DatasetRuns(registry, scheduler), publisher, Cancellations, durability, clock);
        Versions = new RunLifecycle<ModelVersionRecord>(new VersionRuns(registry, scheduler), publisher, Cancellations, durability, clock);
        Commands = new RegistryCommands(registry, Datasets, Versions, artifacts, clock);
        Generation = new DatasetGenerationWorkflow(Datasets, data, artifacts, clock);
        Training = new ModelTrainingWorkflow(Versions, registry, data, artifacts, clock);
    }

    public RunCancellations Cancellations { get; } = new();

    public RunLifecycle<DatasetRecord> Datasets { get; }

    public RunLifecycle<ModelVersionRecord> Versions { get; }

    public RegistryCommands Commands { get; }

    public DatasetGenerationWorkflow Generation { get; }

    public ModelTrainingWorkflow Training { get; }
}

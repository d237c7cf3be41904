using System.Globalization;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Core.Workflows;

/// <summary>
/// What people do to the registry: generate, train, cancel, retry, delete, annotate. Validates, writes the
/// record first and then queues the job, so a page reload always finds the record the click created.
/// </summary>
public sealed class RegistryCommands(
    IModelRegistry registry,
    IJobScheduler scheduler,
    RunCancellations cancellations,
    Artifacts.IArtifactStore artifacts,
    IRunUpdatePublisher publisher,
    TimeProvider clock)
{
    public async Task<DatasetRecord> GenerateAsync(DatasetParameters parameters, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.EnsureValid();
        var dataset = await registry.AddDatasetAsync(new DatasetRecord
        {
            Name = string.IsNullOrWhiteSpace(name) ? DefaultName(parameters) : name.Trim(),
            RequestedRows = parameters.Rows,
            Seed = parameters.Seed,
            DefaultRate = parameters.DefaultRate,
            LabelMode = parameters.LabelMode.ToName(),
            CreatedAt = clock.GetUtcNow(),
            Progress = new JobProgress { Stage = "queued", Total = parameters.Rows },
        }, cancellationToken).ConfigureAwait(false);
        var jobId = scheduler.EnqueueGeneration(dataset.Id);
        return await registry.UpdateDatasetAsync(dataset.Id, d => d.JobId = jobId, cancellationToken).ConfigureAwait(false) ?? dataset;
    }

    public async Task<ModelVersionRecord> TrainAsync(Guid datasetId, TrainingParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.EnsureValid();
        var dataset = await registry.GetDatasetAsync(datasetId, cancellationToken).ConfigureAwait(false)
            ?? throw LynqException.NotFound("The chosen dataset does not exist (it may have been removed).", "dataset");
        if (dataset.Status is not (DatasetStatus.Ready or DatasetStatus.Queued or DatasetStatus.Generating))
        {
            throw LynqException.Conflict($"Dataset '{dataset.Name}' is {dataset.Status.ToString().ToLowerInvariant()}; choose a ready dataset.");
        }

        var version = await registry.AddVersionAsync(new ModelVersionRecord
        {
            DatasetId = datasetId,
            DatasetSha256 = dataset.Sha256,
            Parameters = parameters,
            CreatedAt = clock.GetUtcNow(),
            Progress = new JobProgress { Stage = "queued", Total = parameters.Trees },
        }, cancellationToken).ConfigureAwait(false);

        // Behind a generation still running: start when it finishes, whatever its outcome (a failed dataset fails the version with a reason).
        var jobId = scheduler.EnqueueTraining(version.Id, dataset.Status.IsActive() ? dataset.JobId : null);
        return await registry.UpdateVersionAsync(version.Id, v => v.JobId = jobId, cancellationToken).ConfigureAwait(false) ?? version;
    }

    /// <summary>Generates a dataset and trains on it as one action.</summary>
    public async Task<(DatasetRecord Dataset, ModelVersionRecord Version)> GenerateAndTrainAsync(
        DatasetParameters dataset, TrainingParameters training, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        training.EnsureValid();
        var generated = await GenerateAsync(dataset, cancellationToken: cancellationToken).ConfigureAwait(false);
        var version = await TrainAsync(generated.Id, training, cancellationToken).ConfigureAwait(false);
        return (generated, version);
    }

    /// <summary>Stops a queued or running training: at once in this process, at its next progress save elsewhere.</summary>
    public async Task CancelVersionAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var version = await registry.UpdateVersionAsync(id, v => v.CancelRequested = v.Status.IsActive(), cancellationToken).ConfigureAwait(false);
        if (version is null || !version.Status.IsActive())
        {
            return;
        }

        if (!cancellations.Cancel(id) && version.Status == VersionStatus.Queued)
        {
            if (version.JobId is not null)
            {
                scheduler.Delete(version.JobId);
            }

            await FinishQueuedAsync(RunKind.Version, id, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task CancelDatasetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var dataset = await registry.UpdateDatasetAsync(id, d => d.CancelRequested = d.Status.IsActive(), cancellationToken).ConfigureAwait(false);
        if (dataset is null || !dataset.Status.IsActive())
        {
            return;
        }

        if (!cancellations.Cancel(id) && dataset.Status == DatasetStatus.Queued)
        {
            if (dataset.JobId is not null)
            {
                scheduler.Delete(dataset.JobId);
            }

            await FinishQueuedAsync(RunKind.Dataset, id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Queues a failed, cancelled or interrupted training again, with the same number and parameters.</summary>
    public async Task<ModelVersionRecord> RetryVersionAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var version = await registry.GetVersionAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw LynqException.NotFound("That version no longer exists.", "version");
        if (version.Status is not (VersionStatus.Failed or VersionStatus.Cancelled or VersionStatus.Interrupted))
        {
            throw LynqException.Conflict($"{version.Label} is {version.Status.ToString().ToLowerInvariant()}; only failed, cancelled or interrupted runs can be retried.");
        }

        await registry.UpdateVersionAsync(id, v =>
        {
            v.Status = VersionStatus.Queued;
            v.Error = null;
            v.CancelRequested = false;
            v.StartedAt = v.FinishedAt = null;
            v.Progress = new JobProgress { Stage = "queued", Total = v.Parameters.Trees };
        }, cancellationToken).ConfigureAwait(false);
        var jobId = scheduler.EnqueueTraining(id);
        return (await registry.UpdateVersionAsync(id, v => v.JobId = jobId, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<DatasetRecord> RetryDatasetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var dataset = await registry.GetDatasetAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw LynqException.NotFound("That dataset no longer exists.", "dataset");
        if (dataset.Status is not (DatasetStatus.Failed or DatasetStatus.Cancelled or DatasetStatus.Interrupted))
        {
            throw LynqException.Conflict($"Dataset '{dataset.Name}' is {dataset.Status.ToString().ToLowerInvariant()}; only failed, cancelled or interrupted generations can be retried.");
        }

        await registry.UpdateDatasetAsync(id, d =>
        {
            d.Status = DatasetStatus.Queued;
            d.Error = null;
            d.CancelRequested = false;
            d.StartedAt = d.FinishedAt = null;
            d.Progress = new JobProgress { Stage = "queued", Total = d.RequestedRows };
        }, cancellationToken).ConfigureAwait(false);
        var jobId = scheduler.EnqueueGeneration(id);
        return (await registry.UpdateDatasetAsync(id, d => d.JobId = jobId, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Deletes a finished version and its artifacts; refuses running and production versions.</summary>
    public async Task DeleteVersionAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var version = await registry.GetVersionAsync(id, cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            return;
        }

        if (version.Status.IsActive())
        {
            throw LynqException.Conflict($"{version.Label} is still {version.Status.ToString().ToLowerInvariant()}; cancel it first.");
        }

        if (version.Status == VersionStatus.Production)
        {
            throw LynqException.Conflict($"{version.Label} is in production and cannot be deleted.");
        }

        // Record first: a crash in between leaves an orphan folder, never a version pointing at missing files.
        await registry.DeleteVersionAsync(id, cancellationToken).ConfigureAwait(false);
        await artifacts.DeleteVersionAsync(version, cancellationToken).ConfigureAwait(false);
    }

    public Task<ModelVersionRecord?> AnnotateAsync(Guid id, string notes, IEnumerable<string> tags, CancellationToken cancellationToken = default)
    {
        var cleanTags = string.Join(',', tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase));
        return registry.UpdateVersionAsync(id, v =>
        {
            v.Notes = notes.Trim();
            v.Tags = cleanTags;
        }, cancellationToken);
    }

    private async Task FinishQueuedAsync(RunKind kind, Guid id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (progress, label) = kind == RunKind.Version
            ? await registry.UpdateVersionAsync(id, v => (v.Status, v.FinishedAt, v.Progress.Stage) = (VersionStatus.Cancelled, now, "cancelled"), cancellationToken).ConfigureAwait(false) is { } v ? (v.Progress, v.Label) : (null, null)
            : await registry.UpdateDatasetAsync(id, d => (d.Status, d.FinishedAt, d.Progress.Stage) = (DatasetStatus.Cancelled, now, "cancelled"), cancellationToken).ConfigureAwait(false) is { } d ? (d.Progress, d.Name) : ((JobProgress?)null, (string?)null);
        if (progress is not null)
        {
            publisher.Publish(new RunUpdate(kind, id, "Cancelled", progress.Copy(), Label: label));
        }
    }

    private static string DefaultName(DatasetParameters p) =>
        string.Create(CultureInfo.InvariantCulture, $"{p.Rows:N0} rows · seed {p.Seed} · {p.DefaultRate:P1} · {p.LabelMode.ToName()}");
}

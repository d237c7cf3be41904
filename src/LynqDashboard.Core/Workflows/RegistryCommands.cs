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
    RunLifecycle<DatasetRecord> datasets,
    RunLifecycle<ModelVersionRecord> versions,
    Artifacts.IArtifactStore artifacts,
    TimeProvider clock)
{
    public async Task<DatasetRecord> GenerateAsync(DatasetParameters parameters, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.EnsureValid();
        return await datasets.QueueAsync(new DatasetRecord
        {
            Name = string.IsNullOrWhiteSpace(name) ? DefaultName(parameters) : name.Trim(),
            RequestedRows = parameters.Rows,
            Seed = parameters.Seed,
            DefaultRate = parameters.DefaultRate,
            LabelMode = parameters.LabelMode.ToName(),
            CreatedAt = clock.GetUtcNow(),
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <param name="datasetId">The dataset to train on.</param>
    /// <param name="parameters">Training parameters.</param>
    /// <param name="trainedBy">Who starts it; kept, because that person may not approve the version for production.</param>
    /// <param name="cancellationToken">Cancels the request, not the job.</param>
    public async Task<ModelVersionRecord> TrainAsync(Guid datasetId, TrainingParameters parameters, string? trainedBy = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.EnsureValid();
        var dataset = await registry.GetDatasetAsync(datasetId, cancellationToken).ConfigureAwait(false)
            ?? throw LynqException.NotFound("The chosen dataset does not exist (it may have been removed).", "dataset");
        if (!dataset.Status.CanBeTrainedOn())
        {
            throw LynqException.Conflict($"Dataset '{dataset.Name}' is {dataset.Status.ToString().ToLowerInvariant()}; choose a ready dataset.");
        }

        // Behind a generation still running: start when it finishes, whatever its outcome (a failed dataset fails the version with a reason).
        return await versions.QueueAsync(new ModelVersionRecord
        {
            DatasetId = datasetId,
            DatasetSha256 = dataset.Sha256,
            Parameters = parameters,
            TrainedBy = string.IsNullOrWhiteSpace(trainedBy) ? null : trainedBy.Trim(),
            CreatedAt = clock.GetUtcNow(),
        }, dataset.Status.IsActive() ? dataset.JobId : null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Generates a dataset and trains on it as one action.</summary>
    public async Task<(DatasetRecord Dataset, ModelVersionRecord Version)> GenerateAndTrainAsync(
        DatasetParameters dataset, TrainingParameters training, string? trainedBy = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        training.EnsureValid();
        var generated = await GenerateAsync(dataset, cancellationToken: cancellationToken).ConfigureAwait(false);
        var version = await TrainAsync(generated.Id, training, trainedBy, cancellationToken).ConfigureAwait(false);
        return (generated, version);
    }

    /// <summary>Stops a queued or running training: at once in this process, at its next progress save elsewhere.</summary>
    public Task CancelVersionAsync(Guid id, CancellationToken cancellationToken = default) => versions.CancelAsync(id, cancellationToken);

    public Task CancelDatasetAsync(Guid id, CancellationToken cancellationToken = default) => datasets.CancelAsync(id, cancellationToken);

    /// <summary>Queues a failed, cancelled or interrupted training again, with the same number and parameters.</summary>
    public Task<ModelVersionRecord> RetryVersionAsync(Guid id, CancellationToken cancellationToken = default) => versions.RetryAsync(id, cancellationToken);

    public Task<DatasetRecord> RetryDatasetAsync(Guid id, CancellationToken cancellationToken = default) => datasets.RetryAsync(id, cancellationToken);

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

    private static string DefaultName(DatasetParameters p) =>
        string.Create(CultureInfo.InvariantCulture, $"{p.Rows:N0} rows · seed {p.Seed} · {p.DefaultRate:P1} · {p.LabelMode.ToName()}");
}

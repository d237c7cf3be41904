using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Core.Workflows;

/// <summary>Generates the CSV of one dataset record. Re-entrant: a finished record is left alone.</summary>
public sealed class DatasetGenerationWorkflow(
    IModelRegistry registry,
    DataDirectory data,
    Artifacts.IArtifactStore artifacts,
    JobDurability durability,
    IRunUpdatePublisher publisher,
    RunCancellations cancellations,
    TimeProvider clock)
{
    public async Task RunAsync(Guid datasetId, CancellationToken cancellationToken)
    {
        var dataset = await registry.GetDatasetAsync(datasetId, cancellationToken).ConfigureAwait(false);
        if (dataset is null || !dataset.Status.IsActive())
        {
            return;
        }

        if (!LabelModeNames.TryParse(dataset.LabelMode, out var mode))
        {
            await FinishAsync(datasetId, DatasetStatus.Failed, $"Unknown label mode '{dataset.LabelMode}'.").ConfigureAwait(false);
            return;
        }

        var parameters = new DatasetParameters(dataset.RequestedRows, dataset.Seed, dataset.DefaultRate, mode);
        using var run = cancellations.Register(datasetId, cancellationToken);
        await registry.UpdateDatasetAsync(datasetId, d =>
        {
            d.Status = DatasetStatus.Generating;
            d.StartedAt = clock.GetUtcNow();
            d.Error = null;
        }, CancellationToken.None).ConfigureAwait(false);

        var relay = new ProgressRelay(RunKind.Dataset, datasetId, nameof(DatasetStatus.Generating), publisher, async progress =>
            (await registry.UpdateDatasetAsync(datasetId, d => d.Progress = progress, CancellationToken.None).ConfigureAwait(false))?.CancelRequested == true,
            run.Cancel, clock);
        var path = data.DatasetCsv(datasetId);
        try
        {
            relay.Report("generating", 0, 0, parameters.Rows);
            var manifest = await DatasetFiles.GenerateAsync(
                parameters, path, new CallbackProgress<GenerationProgress>(p => relay.Report("generating", p.Fraction, p.RowsDone, p.RowsTotal)), clock, run.Token).ConfigureAwait(false);
            relay.Report("storing", 1, manifest.RowCount, manifest.RowCount);
            await artifacts.SaveDatasetAsync(datasetId, manifest.Sha256, path, run.Token).ConfigureAwait(false);
            relay.Report("ready", 1, manifest.RowCount, manifest.RowCount);
            await relay.FlushAsync().ConfigureAwait(false);
            await registry.UpdateDatasetAsync(datasetId, d =>
            {
                d.RowCount = manifest.RowCount;
                d.Defaults = manifest.Defaults;
                d.ObservedDefaultRate = manifest.ObservedDefaultRate;
                d.Sha256 = manifest.Sha256;
                d.SizeBytes = manifest.SizeBytes;
                d.FilePath = data.Relative(path);
            }, CancellationToken.None).ConfigureAwait(false);
            await FinishAsync(datasetId, DatasetStatus.Ready, null).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
        {
            await relay.FlushAsync().ConfigureAwait(false);
            var stopping = cancellationToken.IsCancellationRequested;
            if (stopping && durability.JobsSurviveRestart)
            {
                // The job goes back to its queue: leave the record waiting for the worker that picks it up.
                await registry.UpdateDatasetAsync(datasetId, d => (d.Status, d.Progress.Stage) = (DatasetStatus.Queued, "waiting for a worker"), CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            await FinishAsync(datasetId, stopping ? DatasetStatus.Interrupted : DatasetStatus.Cancelled,
                stopping ? "The server stopped while generating." : null).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Whatever went wrong, the record must not stay "running" with no words: say it failed and why, then let the job fail too.
            await FinishAsync(datasetId, DatasetStatus.Failed, e.Message).ConfigureAwait(false);
            throw;
        }
    }

    private async Task FinishAsync(Guid id, DatasetStatus status, string? error)
    {
        var saved = await registry.UpdateDatasetAsync(id, d =>
        {
            d.Status = status;
            d.Error = error;
            d.FinishedAt = clock.GetUtcNow();
            d.Progress.Stage = status.ToString().ToLowerInvariant();
        }, CancellationToken.None).ConfigureAwait(false);
        if (saved is not null)
        {
            publisher.Publish(new RunUpdate(RunKind.Dataset, id, status.ToString(), saved.Progress.Copy(), error, saved.Name));
        }
    }
}

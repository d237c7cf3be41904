using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Core.Workflows;

/// <summary>Generates the CSV of one dataset record. Re-entrant: a finished record is left alone.</summary>
public sealed class DatasetGenerationWorkflow(
    RunLifecycle<DatasetRecord> runs,
    DataDirectory data,
    Artifacts.IArtifactStore artifacts,
    TimeProvider clock)
{
    public async Task RunAsync(Guid datasetId, CancellationToken cancellationToken)
    {
        if (await runs.FindActiveAsync(datasetId, cancellationToken).ConfigureAwait(false) is not { } dataset)
        {
            return;
        }

        if (!LabelModeNames.TryParse(dataset.LabelMode, out var mode))
        {
            await runs.FailAsync(datasetId, $"Unknown label mode '{dataset.LabelMode}'.").ConfigureAwait(false);
            return;
        }

        var parameters = new DatasetParameters(dataset.RequestedRows, dataset.Seed, dataset.DefaultRate, mode);
        await runs.RunAsync(dataset, (relay, token) => GenerateAsync(datasetId, parameters, relay, token), cancellationToken).ConfigureAwait(false);
    }

    private async Task<Action<DatasetRecord>> GenerateAsync(Guid datasetId, DatasetParameters parameters, ProgressRelay relay, CancellationToken cancellationToken)
    {
        var path = data.DatasetCsv(datasetId);
        relay.Report("generating", 0, 0, parameters.Rows);
        var manifest = await DatasetFiles.GenerateAsync(
            parameters, path, new CallbackProgress<GenerationProgress>(p => relay.Report("generating", p.Fraction, p.RowsDone, p.RowsTotal)), clock, cancellationToken).ConfigureAwait(false);
        relay.Report("storing", 1, manifest.RowCount, manifest.RowCount);
        await artifacts.SaveDatasetAsync(datasetId, manifest.Sha256, path, cancellationToken).ConfigureAwait(false);
        relay.Report("ready", 1, manifest.RowCount, manifest.RowCount);
        return d =>
        {
            d.RowCount = manifest.RowCount;
            d.Defaults = manifest.Defaults;
            d.ObservedDefaultRate = manifest.ObservedDefaultRate;
            d.Sha256 = manifest.Sha256;
            d.SizeBytes = manifest.SizeBytes;
            d.FilePath = data.Relative(path);
        };
    }
}

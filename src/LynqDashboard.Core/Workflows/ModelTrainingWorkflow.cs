using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Core.Workflows;

/// <summary>Trains one version record on its dataset and files the results. Re-entrant: a finished record is left alone.</summary>
public sealed class ModelTrainingWorkflow(
    RunLifecycle<ModelVersionRecord> runs,
    IModelRegistry registry,
    DataDirectory data,
    IArtifactStore artifacts,
    TimeProvider clock,
    IModelReports? reports = null,
    ITrainedVersionFollowUp? followUp = null)
{
    public async Task RunAsync(Guid versionId, CancellationToken cancellationToken)
    {
        if (await runs.FindActiveAsync(versionId, cancellationToken).ConfigureAwait(false) is not { } version)
        {
            return;
        }

        var dataset = await registry.GetDatasetAsync(version.DatasetId, cancellationToken).ConfigureAwait(false);
        if (dataset is not { Status: DatasetStatus.Ready, FilePath: not null })
        {
            await runs.FailAsync(versionId, "The training dataset is not ready (it failed, was cancelled or was removed).").ConfigureAwait(false);
            return;
        }

        await runs.RunAsync(version, (relay, token) => TrainAsync(version, dataset, relay, token), cancellationToken).ConfigureAwait(false);
        await WriteReportAsync(versionId, cancellationToken).ConfigureAwait(false);
        await FollowUpAsync(versionId, cancellationToken).ConfigureAwait(false);
    }

    // Monitoring's frozen bins: computed later from the folder if this fails, so a failure costs nothing but that.
    private async Task FollowUpAsync(Guid versionId, CancellationToken cancellationToken)
    {
        try
        {
            if (followUp is not null && await registry.GetVersionAsync(versionId, cancellationToken).ConfigureAwait(false) is { Status: VersionStatus.Ready } ready)
            {
                await followUp.RunAsync(ready, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The follow-up logs its own failures; a training that is stored is never failed afterwards.
        }
    }

    // The documentation pack is derived from the files just stored: failing to write it never fails the training, and
    // the note says how to get it (a download writes a missing pack).
    private async Task WriteReportAsync(Guid versionId, CancellationToken cancellationToken)
    {
        try
        {
            if (reports is not null && await registry.GetVersionAsync(versionId, cancellationToken).ConfigureAwait(false) is { Status: VersionStatus.Ready })
            {
                await reports.WriteAsync(versionId, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await registry.UpdateVersionAsync(versionId, v => v.Notes = $"{v.Notes}\nThe documentation pack was not written ({e.Message}); download model_report.pdf from this page to write it.".Trim(), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<Action<ModelVersionRecord>> TrainAsync(ModelVersionRecord version, DatasetRecord dataset, ProgressRelay relay, CancellationToken cancellationToken)
    {
        var folder = data.VersionFolder(version.Number);
        var csv = await artifacts.DatasetFileAsync(dataset, cancellationToken).ConfigureAwait(false);
        var request = new TrainingRequest(csv, folder, version.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{version.Label} trained on dataset {dataset.Name}", version.Parameters, Overwrite: true);
        var outcome = await TrainingPipeline.RunAsync(request, new CallbackProgress<TrainingProgress>(p =>
            relay.Report(p.Stage.ToString().ToLowerInvariant(), p.Fraction, p.TreesDone, p.TreesTotal)), clock, cancellationToken).ConfigureAwait(false);
        var files = outcome.Artifacts.Files.Select(f => new ArtifactEntry(f.Name, f.Sha256, f.SizeBytes)).ToList();
        relay.Report("storing", 1, version.Parameters.Trees, version.Parameters.Trees);
        await artifacts.SaveVersionAsync(version.Number, files, folder, cancellationToken).ConfigureAwait(false);
        var m = outcome.Model.Metrics;
        var golden = Scoring.GoldenRecord.Expected(outcome.Model);
        return v =>
        {
            v.DatasetSha256 = outcome.Dataset.Sha256;
            v.MlNetVersion = ModelArtifacts.MlNetVersion;
            (v.RocAuc, v.PrAuc, v.Gini, v.Ks, v.Brier, v.CalibrationError) = (m.RocAuc, m.PrAuc, m.Gini, m.Ks, m.Brier, m.CalibrationError);
            (v.F1, v.Precision, v.Recall, v.Accuracy, v.OracleAuc) = (m.F1, m.Precision, m.Recall, m.Accuracy, m.OracleAuc);
            v.LeakageSuspects = string.Join(',', m.LeakageSuspects);
            v.GoldenPd = golden;
            v.ArtifactDirectory = data.Relative(folder);
            v.Artifacts = files;
        };
    }
}

using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Core.Workflows;

/// <summary>Trains one version record on its dataset and files the results. Re-entrant: a finished record is left alone.</summary>
public sealed class ModelTrainingWorkflow(
    IModelRegistry registry,
    DataDirectory data,
    IArtifactStore artifacts,
    JobDurability durability,
    IRunUpdatePublisher publisher,
    RunCancellations cancellations,
    TimeProvider clock)
{
    public async Task RunAsync(Guid versionId, CancellationToken cancellationToken)
    {
        var version = await registry.GetVersionAsync(versionId, cancellationToken).ConfigureAwait(false);
        if (version is null || !version.Status.IsActive())
        {
            return;
        }

        var dataset = await registry.GetDatasetAsync(version.DatasetId, cancellationToken).ConfigureAwait(false);
        if (dataset is not { Status: DatasetStatus.Ready, FilePath: not null })
        {
            await FinishAsync(versionId, VersionStatus.Failed, "The training dataset is not ready (it failed, was cancelled or was removed).").ConfigureAwait(false);
            return;
        }

        using var run = cancellations.Register(versionId, cancellationToken);
        await registry.UpdateVersionAsync(versionId, v =>
        {
            v.Status = VersionStatus.Running;
            v.StartedAt = clock.GetUtcNow();
            v.Error = null;
        }, CancellationToken.None).ConfigureAwait(false);

        var relay = new ProgressRelay(RunKind.Version, versionId, nameof(VersionStatus.Running), publisher, async progress =>
            (await registry.UpdateVersionAsync(versionId, v => v.Progress = progress, CancellationToken.None).ConfigureAwait(false))?.CancelRequested == true,
            run.Cancel, clock);
        var folder = data.VersionFolder(version.Number);
        try
        {
            var csv = await artifacts.DatasetFileAsync(dataset, run.Token).ConfigureAwait(false);
            var request = new TrainingRequest(csv, folder, version.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{version.Label} trained on dataset {dataset.Name}", version.Parameters, Overwrite: true);
            var outcome = await TrainingPipeline.RunAsync(request, new CallbackProgress<TrainingProgress>(p =>
                relay.Report(p.Stage.ToString().ToLowerInvariant(), p.Fraction, p.TreesDone, p.TreesTotal)), clock, run.Token).ConfigureAwait(false);
            var files = outcome.Artifacts.Files.Select(f => new ArtifactEntry(f.Name, f.Sha256, f.SizeBytes)).ToList();
            relay.Report("storing", 1, version.Parameters.Trees, version.Parameters.Trees);
            await artifacts.SaveVersionAsync(version.Number, files, folder, run.Token).ConfigureAwait(false);
            await relay.FlushAsync().ConfigureAwait(false);
            var m = outcome.Model.Metrics;
            var golden = Scoring.GoldenRecord.Expected(outcome.Model);
            await registry.UpdateVersionAsync(versionId, v =>
            {
                v.DatasetSha256 = outcome.Dataset.Sha256;
                v.MlNetVersion = ModelArtifacts.MlNetVersion;
                (v.RocAuc, v.PrAuc, v.Gini, v.Ks, v.Brier, v.CalibrationError) = (m.RocAuc, m.PrAuc, m.Gini, m.Ks, m.Brier, m.CalibrationError);
                (v.F1, v.Precision, v.Recall, v.Accuracy, v.OracleAuc) = (m.F1, m.Precision, m.Recall, m.Accuracy, m.OracleAuc);
                v.LeakageSuspects = string.Join(',', m.LeakageSuspects);
                v.GoldenPd = golden;
                v.ArtifactDirectory = data.Relative(folder);
                v.Artifacts = files;
            }, CancellationToken.None).ConfigureAwait(false);
            await FinishAsync(versionId, VersionStatus.Ready, null).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
        {
            await relay.FlushAsync().ConfigureAwait(false);
            var stopping = cancellationToken.IsCancellationRequested;
            if (stopping && durability.JobsSurviveRestart)
            {
                // The job goes back to its queue: leave the record waiting for the worker that picks it up.
                await registry.UpdateVersionAsync(versionId, v => (v.Status, v.Progress.Stage) = (VersionStatus.Queued, "waiting for a worker"), CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            await FinishAsync(versionId, stopping ? VersionStatus.Interrupted : VersionStatus.Cancelled,
                stopping ? "The server stopped while training." : null).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Whatever went wrong, the record must not stay "running" with no words: say it failed and why, then let the job fail too.
            await FinishAsync(versionId, VersionStatus.Failed, e.Message).ConfigureAwait(false);
            throw;
        }
    }

    private async Task FinishAsync(Guid id, VersionStatus status, string? error)
    {
        var saved = await registry.UpdateVersionAsync(id, v =>
        {
            v.Status = status;
            v.Error = error;
            v.FinishedAt = clock.GetUtcNow();
            v.Progress.Stage = status.ToString().ToLowerInvariant();
            if (status == VersionStatus.Ready)
            {
                v.Progress.Fraction = 1;
            }
        }, CancellationToken.None).ConfigureAwait(false);
        if (saved is not null)
        {
            publisher.Publish(new RunUpdate(RunKind.Version, id, status.ToString(), saved.Progress.Copy(), error, saved.Label));
        }
    }
}

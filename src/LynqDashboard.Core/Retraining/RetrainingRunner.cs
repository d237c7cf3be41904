using System.Globalization;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Workflows;

namespace LynqDashboard.Core.Retraining;

/// <summary>
/// One run of a schedule, as numbered steps: (1) record the run and take the overlap lock, (2) build the dataset from
/// the schedule's source, (3) queue the training, (4) wait for it, (5) open a promotion request when the gates pass,
/// (6) release the lock. It never approves and never promotes: the request waits for a second person.
/// </summary>
/// <param name="store">Schedules and runs.</param>
/// <param name="registry">Where datasets and versions are read.</param>
/// <param name="commands">Generation and training, as a person's click would queue them.</param>
/// <param name="requests">The four-eyes promotion requests.</param>
/// <param name="ledger">Builds ledger datasets.</param>
/// <param name="clock">The clock.</param>
/// <param name="pollInterval">How often the version is read while training (default 2 s).</param>
public sealed class RetrainingRunner(
    IRetrainingStore store,
    IModelRegistry registry,
    RegistryCommands commands,
    PromotionRequests requests,
    LedgerDatasetBuilder ledger,
    TimeProvider clock,
    TimeSpan? pollInterval = null) : IRetrainingRunner
{
    /// <summary>
    /// A lock whose run started longer ago than this is taken over (that run marked Failed "interrupted"): a process that
    /// died mid-run never releases its lock. Training 10 million rows takes well under an hour, so six is generous.
    /// </summary>
    public static readonly TimeSpan StaleLockAfter = TimeSpan.FromHours(6);

    /// <summary>The trigger the recurring job passes.</summary>
    public const string CronTrigger = "cron";

    /// <summary>Longest detail kept on a run (the registry column's size); a longer one is cut with an ellipsis.</summary>
    public const int MaxDetailLength = 4000;

    private readonly TimeSpan _poll = pollInterval ?? TimeSpan.FromSeconds(2);

    public async Task<ScheduleRun> RunAsync(Guid scheduleId, string trigger, RunOverrides? overrides, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trigger);
        var schedule = await store.GetScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false)
            ?? throw LynqException.NotFound("That retraining schedule is not on record.", "schedule");

        // 1. The run is on record before anything else, so even a skip is in the history.
        var run = await store.AddRunAsync(new ScheduleRun { ScheduleId = scheduleId, Trigger = trigger, StartedAt = clock.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        if (schedule.Paused && !trigger.StartsWith("manual", StringComparison.Ordinal))
        {
            return await FinishAsync(run, ScheduleRunOutcome.Skipped, "paused").ConfigureAwait(false);
        }

        if (trigger == CronTrigger && !schedule.OnCron)
        {
            return await FinishAsync(run, ScheduleRunOutcome.Skipped, "its cron trigger is off").ConfigureAwait(false);
        }

        if (await LockAsync(schedule, run, cancellationToken).ConfigureAwait(false) is { } still)
        {
            return await FinishAsync(run, ScheduleRunOutcome.Skipped, still).ConfigureAwait(false);
        }

        try
        {
            var (outcome, detail) = await TrainAndRequestAsync(schedule, run, overrides, cancellationToken).ConfigureAwait(false);
            return await FinishAsync(run, outcome, detail).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return await FinishAsync(run, ScheduleRunOutcome.Failed, "interrupted: the run was stopped (shutdown or cancel) before it finished").ConfigureAwait(false);
        }
        catch (LynqException e)
        {
            return await FinishAsync(run, ScheduleRunOutcome.Failed, e.Message).ConfigureAwait(false);
        }
        finally
        {
            // 6. Whatever happened, the next run may go.
            await store.ReleaseAsync(scheduleId, run.Id, CancellationToken.None).ConfigureAwait(false);
        }
    }

    // Takes the lock; null when taken, otherwise why not. A lock held longer than StaleLockAfter (or by a run that is over) is taken over.
    private async Task<string?> LockAsync(RetrainingSchedule schedule, ScheduleRun run, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (await store.TryLockAsync(schedule.Id, run.Id, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var holderId = (await store.GetScheduleAsync(schedule.Id, cancellationToken).ConfigureAwait(false))?.RunningRunId;
            if (holderId is not { } id)
            {
                continue; // released a moment ago: try once more
            }

            var holder = await store.GetRunAsync(id, cancellationToken).ConfigureAwait(false);
            var now = clock.GetUtcNow();
            if (holder is { FinishedAt: null } && now - holder.StartedAt <= StaleLockAfter)
            {
                return string.Create(CultureInfo.InvariantCulture, $"run #{holder.Number} (started {holder.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC) is still going");
            }

            if (holder is { FinishedAt: null })
            {
                await store.UpdateRunAsync(id, r => (r.Outcome, r.FinishedAt, r.Detail) = (ScheduleRunOutcome.Failed, now,
                    $"interrupted: it held the overlap lock for more than {StaleLockAfter.TotalHours:0} hours, so run #{run.Number} took it over"), CancellationToken.None).ConfigureAwait(false);
            }

            await store.ReleaseAsync(schedule.Id, id, CancellationToken.None).ConfigureAwait(false);
        }

        return "another run took the lock at the same moment";
    }

    private async Task<(ScheduleRunOutcome Outcome, string Detail)> TrainAndRequestAsync(RetrainingSchedule schedule, ScheduleRun run, RunOverrides? overrides, CancellationToken cancellationToken)
    {
        // 2. The data.
        var (dataset, lineage) = await DatasetAsync(schedule, run, overrides, cancellationToken).ConfigureAwait(false);
        await store.UpdateRunAsync(run.Id, r => (r.DatasetId, r.Lineage) = (dataset.Id, lineage), CancellationToken.None).ConfigureAwait(false);

        // 3. The training, as the schedule's maker: that person may then not approve the request it opens.
        var parameters = overrides?.Trees is { } trees ? schedule.Training with { Trees = trees } : schedule.Training;
        var queued = await commands.TrainAsync(dataset.Id, parameters, schedule.CreatedBy, cancellationToken).ConfigureAwait(false);
        await store.UpdateRunAsync(run.Id, r => r.VersionNumber = queued.Number, CancellationToken.None).ConfigureAwait(false);

        // 4. Wait for it.
        var version = await WaitAsync(queued.Id, cancellationToken).ConfigureAwait(false);
        if (version.Status != VersionStatus.Ready)
        {
            return (ScheduleRunOutcome.Failed, $"training {version.Label} ended {version.Status.ToString().ToLowerInvariant()}: {version.Error ?? "no reason recorded"}");
        }

        // 5. The gates, then a request for a second person, or the failed checks.
        var review = await requests.PreviewAsync(version.Number, cancellationToken).ConfigureAwait(false);
        var failed = review.Checks.Where(c => !c.Passed).ToList();
        if (failed.Count > 0)
        {
            return (ScheduleRunOutcome.GatesFailed, $"{version.Label} trained; no promotion request was opened because {string.Join("; ", failed.Select(c => $"{c.Name}: {c.Detail}"))}");
        }

        var comment = Comment(schedule, run, version, review);
        var request = await requests.RequestAsync(version.Number, schedule.CreatedBy, comment, cancellationToken: cancellationToken).ConfigureAwait(false);
        await store.UpdateRunAsync(run.Id, r => r.PromotionRequestId = request.Id, CancellationToken.None).ConfigureAwait(false);
        return (ScheduleRunOutcome.RequestOpened, comment);
    }

    private async Task<(DatasetRecord Dataset, LedgerLineage? Lineage)> DatasetAsync(RetrainingSchedule schedule, ScheduleRun run, RunOverrides? overrides, CancellationToken cancellationToken)
    {
        switch (schedule.Source)
        {
            case ScheduleSource.Generate:
                var p = schedule.Generate ?? new DatasetParameters(ScheduleDrafts.DefaultRows, ScheduleDrafts.DefaultSeed);

                // Each run its own data: the seed moves on with the run number (unless "run now" names one).
                var seed = overrides?.Seed ?? unchecked(p.Seed + run.Number - 1);
                var generated = await commands.GenerateAsync(p with { Rows = overrides?.Rows ?? p.Rows, Seed = seed }, cancellationToken: cancellationToken).ConfigureAwait(false);
                return (generated, null);
            case ScheduleSource.NewestDataset:
                var newest = (await registry.ListDatasetsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(d => d.Status == DatasetStatus.Ready)
                    ?? throw LynqException.Conflict("there is no ready dataset in the registry to train on; generate one, or give the schedule another source");
                return (newest, null);
            default:
                var (dataset, lineage) = await ledger.BuildAsync(overrides?.LedgerWindowDays ?? schedule.LedgerWindowDays, cancellationToken).ConfigureAwait(false);
                return (dataset, lineage);
        }
    }

    private async Task<ModelVersionRecord> WaitAsync(Guid versionId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var version = await registry.GetVersionAsync(versionId, cancellationToken).ConfigureAwait(false)
                ?? throw LynqException.Conflict("the version this run queued was deleted before it finished training");
            if (version.Status is not (VersionStatus.Queued or VersionStatus.Running))
            {
                return version;
            }

            await Task.Delay(_poll, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Comment(RetrainingSchedule schedule, ScheduleRun run, ModelVersionRecord version, PromotionReview review)
    {
        var head = $"Retraining schedule '{schedule.Name}' run #{run.Number} ({run.Trigger}): ";
        if (review.Comparison?.Sets is [var set, ..] && review.ProductionNumber is { } champion)
        {
            return head + string.Create(CultureInfo.InvariantCulture,
                $"{version.Label} against v{champion}: AUC {set.Candidate.RocAuc:0.0000} vs {set.Production.RocAuc:0.0000} (difference {set.AucDifference:+0.0000;-0.0000;0.0000}, 95 % CI {set.AucDifferenceLow:+0.0000;-0.0000;0.0000} to {set.AucDifferenceHigh:+0.0000;-0.0000;0.0000}), calibration error {set.Candidate.CalibrationError:0.0000} vs {set.Production.CalibrationError:0.0000}, on {set.Name} ({set.Rows:N0} rows); {set.ChangedActions:N0} applicants change action.");
        }

        return head + string.Create(CultureInfo.InvariantCulture,
            $"{version.Label} with nothing in production to compare against: AUC {version.RocAuc:0.0000}, calibration error {version.CalibrationError:0.0000} on its test split.");
    }

    private async Task<ScheduleRun> FinishAsync(ScheduleRun run, ScheduleRunOutcome outcome, string detail)
    {
        var now = clock.GetUtcNow();
        var kept = detail.Length <= MaxDetailLength ? detail : string.Concat(detail.AsSpan(0, MaxDetailLength - 1), "…");
        return await store.UpdateRunAsync(run.Id, r => (r.Outcome, r.Detail, r.FinishedAt) = (outcome, kept, now), CancellationToken.None).ConfigureAwait(false)
            ?? run;
    }
}

using System.Diagnostics;
using Hangfire;
using Hangfire.Server;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Web.Observability;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Web.Jobs;

/// <summary>Queues the workflows as Hangfire jobs. Hangfire fills each job's <see cref="PerformContext"/> when it runs.</summary>
public sealed class HangfireJobScheduler(IBackgroundJobClient client) : IJobScheduler
{
    public string EnqueueGeneration(Guid datasetId) =>
        client.Enqueue<GenerateDatasetJob>(job => job.RunAsync(datasetId, null, CancellationToken.None));

    public string EnqueueTraining(Guid versionId, string? afterJobId = null)
    {
        System.Linq.Expressions.Expression<Func<TrainModelJob, Task>> train = job => job.RunAsync(versionId, null, CancellationToken.None);
        return afterJobId is null
            ? client.Enqueue(train)
            : client.ContinueJobWith(afterJobId, train, new Hangfire.States.EnqueuedState(), JobContinuationOptions.OnAnyFinishedState);
    }

    // Their own queue, served by a worker of its own: a rollback during an incident never waits behind a training.
    public string EnqueuePromotion(Guid promotionId) =>
        client.Enqueue<PromoteVersionJob>(JobQueues.Promotions, job => job.RunAsync(promotionId, null, CancellationToken.None));

    public void Delete(string jobId) => client.Delete(jobId);

    /// <summary>Every log line a job writes carries its Hangfire job id and the record it works on.</summary>
    internal static IDisposable? Scope(ILogger logger, PerformContext? context, Guid recordId) =>
        logger.BeginScope(new Dictionary<string, object?> { ["JobId"] = context?.BackgroundJob.Id, ["RunId"] = recordId });
}

/// <summary>The Hangfire queues: generation and training share the default one; promotions have their own, and so do retraining runs.</summary>
public static class JobQueues
{
    public const string Default = "default";

    public const string Promotions = "promotions";

    /// <summary>Retraining schedule runs: a run waits for its training, so it must not hold a worker training needs.</summary>
    public const string Retraining = "retraining";
}

/// <summary>Generates one dataset record. Thin: the work is in Core.</summary>
public sealed class GenerateDatasetJob(DatasetGenerationWorkflow workflow, ILogger<GenerateDatasetJob> logger)
{
    // Failures are deterministic (bad parameters, a full disk): retrying would only repeat them; people retry from the page.
    // A worker that dies mid-run is different: durable storage hands the job to another worker after Lynq:Storage:JobTimeoutSeconds.
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Generate dataset {0}")]
    public async Task RunAsync(Guid datasetId, PerformContext? context, CancellationToken cancellationToken)
    {
        using var scope = HangfireJobScheduler.Scope(logger, context, datasetId);
        logger.LogInformation("Generating dataset {DatasetId}", datasetId);
        await workflow.RunAsync(datasetId, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Trains one version record. Thin: the work is in Core.</summary>
public sealed class TrainModelJob(ModelTrainingWorkflow workflow, IModelRegistry registry, LynqMetrics metrics, ILogger<TrainModelJob> logger)
{
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Train model version {0}")]
    public async Task RunAsync(Guid versionId, PerformContext? context, CancellationToken cancellationToken)
    {
        using var scope = HangfireJobScheduler.Scope(logger, context, versionId);
        var started = Stopwatch.GetTimestamp();
        logger.LogInformation("Training version {VersionId}", versionId);
        try
        {
            await workflow.RunAsync(versionId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (await registry.GetVersionAsync(versionId, CancellationToken.None).ConfigureAwait(false) is { } version && !version.Status.IsActive())
            {
                metrics.TrainingFinished(version.Status, Stopwatch.GetElapsedTime(started));
                logger.LogInformation("Training of {Version} ended {Status} after {Seconds:0.0} s", version.Label, version.Status, Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        }
    }
}

/// <summary>Runs one promotion or rollback. Thin: the work is in Core.</summary>
public sealed class PromoteVersionJob(LynqDashboard.Core.Promotion.PromotionWorkflow workflow, IPromotionRegistry promotions, LynqMetrics metrics, ILogger<PromoteVersionJob> logger)
{
    // Transient S3 failures are retried inside each request (with backoff); a failed promotion is retried by a person.
    // One at a time: two promotions racing for the pointer would leave production to chance. The registry already
    // allows one active promotion per bucket; the lock also covers a job handed on twice. A lock that times out fails
    // the job, and StalledRunRecovery then marks its record interrupted.
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 15 * 60)]
    [JobDisplayName("Promotion {0}")]
    public async Task RunAsync(Guid promotionId, PerformContext? context, CancellationToken cancellationToken)
    {
        using var scope = HangfireJobScheduler.Scope(logger, context, promotionId);
        try
        {
            await workflow.RunAsync(promotionId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (await promotions.GetPromotionAsync(promotionId, CancellationToken.None).ConfigureAwait(false) is { } done && !done.Status.IsActive())
            {
                metrics.PromotionFinished(done.Kind, done.Status);
                logger.LogInformation("{Promotion} ended {Status}", done.Label, done.Status);
            }
        }
    }
}

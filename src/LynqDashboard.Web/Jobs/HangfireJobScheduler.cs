using Hangfire;
using LynqDashboard.Core.Workflows;

namespace LynqDashboard.Web.Jobs;

/// <summary>Queues the workflows as Hangfire jobs.</summary>
public sealed class HangfireJobScheduler(IBackgroundJobClient client) : IJobScheduler
{
    public string EnqueueGeneration(Guid datasetId) =>
        client.Enqueue<GenerateDatasetJob>(job => job.RunAsync(datasetId, CancellationToken.None));

    public string EnqueueTraining(Guid versionId, string? afterJobId = null) => afterJobId is null
        ? client.Enqueue<TrainModelJob>(job => job.RunAsync(versionId, CancellationToken.None))
        : client.ContinueJobWith<TrainModelJob>(afterJobId, job => job.RunAsync(versionId, CancellationToken.None), JobContinuationOptions.OnAnyFinishedState);

    public string EnqueuePromotion(Guid promotionId) =>
        client.Enqueue<PromoteVersionJob>(job => job.RunAsync(promotionId, CancellationToken.None));

    public void Delete(string jobId) => client.Delete(jobId);
}

/// <summary>Generates one dataset record. Thin: the work is in Core.</summary>
public sealed class GenerateDatasetJob(DatasetGenerationWorkflow workflow)
{
    // Failures are deterministic (bad parameters, a full disk): retrying would only repeat them; people retry from the page.
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Generate dataset {0}")]
    public Task RunAsync(Guid datasetId, CancellationToken cancellationToken) => workflow.RunAsync(datasetId, cancellationToken);
}

/// <summary>Trains one version record. Thin: the work is in Core.</summary>
public sealed class TrainModelJob(ModelTrainingWorkflow workflow)
{
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Train model version {0}")]
    public Task RunAsync(Guid versionId, CancellationToken cancellationToken) => workflow.RunAsync(versionId, cancellationToken);
}

/// <summary>Runs one promotion or rollback. Thin: the work is in Core.</summary>
public sealed class PromoteVersionJob(LynqDashboard.Core.Promotion.PromotionWorkflow workflow)
{
    // Transient S3 failures are retried inside each request (with backoff); a failed promotion is retried by a person.
    // One at a time: two promotions racing for the pointer would leave production to chance.
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 15 * 60)]
    [JobDisplayName("Promotion {0}")]
    public Task RunAsync(Guid promotionId, CancellationToken cancellationToken) => workflow.RunAsync(promotionId, cancellationToken);
}

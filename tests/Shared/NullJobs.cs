using LynqDashboard.Core.Runs;

namespace LynqDashboard.Tests.Shared;

/// <summary>A job scheduler that queues nothing: for code that runs the workflows itself.</summary>
public sealed class NullScheduler : IJobScheduler
{
    public string EnqueueGeneration(Guid datasetId) => "-";

    public string EnqueueTraining(Guid versionId, string? afterJobId = null) => "-";

    public string EnqueuePromotion(Guid promotionId) => "-";

    public void Delete(string jobId)
    {
    }
}

/// <summary>A progress publisher nobody listens to.</summary>
public sealed class NullPublisher : IRunUpdatePublisher
{
    public void Publish(RunUpdate update)
    {
    }
}

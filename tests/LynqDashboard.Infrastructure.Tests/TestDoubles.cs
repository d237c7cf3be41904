using LynqDashboard.Core.Runs;

namespace LynqDashboard.Infrastructure.Tests;

// The job scheduler and update publisher the workflow tests run against: they run nothing, only record.

internal sealed class RecordingScheduler : IJobScheduler
{
    public List<(string Id, Guid Record, string? After)> Jobs { get; } = [];

    public List<string> Deleted { get; } = [];

    public string EnqueueGeneration(Guid datasetId) => Add(datasetId, null);

    public string EnqueueTraining(Guid versionId, string? afterJobId = null) => Add(versionId, afterJobId);

    public string EnqueuePromotion(Guid promotionId) => Add(promotionId, null);

    public void Delete(string jobId) => Deleted.Add(jobId);

    private string Add(Guid record, string? after)
    {
        var id = $"job-{Jobs.Count + 1}";
        Jobs.Add((id, record, after));
        return id;
    }
}

internal sealed class RecordingPublisher : IRunUpdatePublisher
{
    private readonly Lock _gate = new();

    public List<RunUpdate> Updates { get; } = [];

    public Action<RunUpdate>? OnUpdate { get; set; }

    public void Publish(RunUpdate update)
    {
        lock (_gate)
        {
            Updates.Add(update);
        }

        OnUpdate?.Invoke(update);
    }
}

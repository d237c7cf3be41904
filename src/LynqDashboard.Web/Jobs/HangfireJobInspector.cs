using Hangfire;
using Hangfire.States;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Web.Jobs;

/// <summary>
/// Reads a job's state from Hangfire's storage (in memory or PostgreSQL). A Processing job counts as orphaned when the
/// server that took it is no longer listed or its heartbeat is older than <paramref name="serverGoneAfter"/>.
/// </summary>
/// <param name="storage">Hangfire's storage.</param>
/// <param name="clock">The one clock.</param>
/// <param name="serverGoneAfter">Heartbeat age after which a server counts as gone (Lynq:Jobs:ServerGoneSeconds); Hangfire beats every 30 s.</param>
public sealed class HangfireJobInspector(JobStorage storage, TimeProvider clock, TimeSpan serverGoneAfter) : IJobInspector
{
    public Task<JobFate> InspectAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = storage.GetConnection();
        var job = connection.GetJobData(jobId);
        var state = job?.State;
        var fate = job is null ? JobFate.Missing
            : state is null ? JobFate.Waiting // being created
            : state == SucceededState.StateName ? JobFate.Succeeded
            : state == FailedState.StateName ? JobFate.Failed
            : state == DeletedState.StateName ? JobFate.Deleted
            : state == ProcessingState.StateName ? (ServerAnswers(connection.GetStateData(jobId)?.Data) ? JobFate.Running : JobFate.Orphaned)
            : JobFate.Waiting; // Enqueued, Scheduled, Awaiting
        return Task.FromResult(fate);
    }

    private bool ServerAnswers(IDictionary<string, string>? processing)
    {
        if (processing is null || !processing.TryGetValue("ServerId", out var serverId))
        {
            return true; // cannot tell: leave it to the next sweep rather than interrupt a live run
        }

        var now = clock.GetUtcNow().UtcDateTime;
        return storage.GetMonitoringApi().Servers().Any(s => s.Name == serverId && (s.Heartbeat is not { } beat || now - beat < serverGoneAfter));
    }
}

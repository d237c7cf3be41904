using Hangfire;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Monitoring;

/// <summary>The nightly prune: decisions (and their outcomes) older than Lynq:Monitoring:RetentionDays. Running it twice is harmless.</summary>
public sealed class DecisionRetentionJob(IDecisionStore store, IOptions<MonitoringOptions> options, TimeProvider clock, ILogger<DecisionRetentionJob> logger)
{
    public const string RecurringId = "decision-retention";

    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow().AddDays(-options.Value.RetentionDays);
        var removed = await store.PruneAsync(before, cancellationToken);
        logger.LogInformation("Pruned {Removed} decisions decided before {Before:u} (retention {Days} days)", removed, before, options.Value.RetentionDays);
    }
}

/// <summary>Puts the prune on Hangfire's schedule (Lynq:Monitoring:PruneCron, UTC) where jobs run.</summary>
public sealed class DecisionRetentionSchedule(IRecurringJobManager jobs, IOptions<MonitoringOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.AddOrUpdate<DecisionRetentionJob>(DecisionRetentionJob.RecurringId, job => job.RunAsync(CancellationToken.None), options.Value.PruneCron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using LynqDashboard.Web.Configuration;
using LynqDashboard.Web.Live;
using Microsoft.Extensions.Options;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Web.Scoring;

/// <summary>Keeps the serving model current: at start, every few seconds, and at once when a training, promotion or rollback finishes.</summary>
public sealed class ModelRefreshService(Core.Scoring.IModelSource source, RunUpdateHub hub, IOptions<ScoringOptions> options, ILogger<ModelRefreshService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var wake = new SemaphoreSlim(0);
        using var subscription = hub.Subscribe(u => u.Kind is RunKind.Version or RunKind.Promotion && u.IsFinished, _ => wake.Release());
        var interval = TimeSpan.FromSeconds(options.Value.RefreshSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await source.RefreshAsync(stoppingToken))
                {
                    logger.LogInformation("Serving model changed");
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Checking the serving model failed; will retry");
            }

            try
            {
                await wake.WaitAsync(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

using LynqDashboard.Core.Workflows;
using LynqDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Jobs;

/// <summary>
/// Runs <see cref="StalledRunRecovery"/> once at start and then every Lynq:Jobs:RecoverySeconds, in every process that
/// queues or runs jobs. A sweep that fails (the database restarting) is logged once and tried again at the next tick.
/// </summary>
public sealed class StalledRunWatch(StalledRunRecovery recovery, IOptions<LynqOptions> options, TimeProvider clock, ILogger<StalledRunWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Jobs.RecoverySeconds), clock);
        var failing = false;
        do
        {
            try
            {
                var recovered = await recovery.SweepAsync(stoppingToken).ConfigureAwait(false);
                if (recovered > 0)
                {
                    logger.LogWarning("{Recovered} run(s) whose job was gone were marked interrupted; people can retry them", recovered);
                }

                failing = false;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (!failing)
                {
                    logger.LogWarning(e, "Looking for runs whose job is gone failed; trying again every {Seconds} s", options.Value.Jobs.RecoverySeconds);
                }

                failing = true;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}

using LynqDashboard.Core.Workflows;
using LynqDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Jobs;

/// <summary>
/// Runs <see cref="StalledRunRecovery"/> once at start and then every Lynq:Jobs:RecoverySeconds, in every process that
/// queues or runs jobs. 
/// </summary>
public sealed class StalledRunWatch(StalledRunRecovery recovery, IOptions<LynqOptions> options, TimeProvider clock, ILogger<StalledRunWatch> logger)
    : Hosting.PeriodicService(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.Jobs.RecoverySeconds);

    protected override string Work => "Looking for runs whose job is gone";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var recovered = await recovery.SweepAsync(cancellationToken).ConfigureAwait(false);
        if (recovered > 0)
        {
            logger.LogWarning("{Recovered} run(s) whose job was gone were marked interrupted; people can retry them", recovered);
        }
    }
}

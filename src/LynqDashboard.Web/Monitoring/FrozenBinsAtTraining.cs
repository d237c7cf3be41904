using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Registry;

namespace LynqDashboard.Web.Monitoring;

/// <summary>Stores a new version's frozen monitoring bins as its training finishes; a failure is logged, never the training's.</summary>
public sealed class FrozenBinsAtTraining(VersionBaselines baselines, ILogger<FrozenBinsAtTraining> logger) : ITrainedVersionFollowUp
{
    public async Task RunAsync(ModelVersionRecord version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        try
        {
            if (await baselines.GetOrComputeAsync(version, cancellationToken).ConfigureAwait(false) is null)
            {
                logger.LogInformation("{Version} stored no test rows: it gets no monitoring bins (its snapshots show no PSI)", version.Label);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The monitoring bins of {Version} were not stored; the first snapshot that needs them computes them", version.Label);
        }
    }
}

using LynqDashboard.Core.Registry;

namespace LynqDashboard.Core.Artifacts;

/// <summary>
/// Work derived from a version's files right after its training finished Ready (today: its frozen monitoring bins).
/// The training is already stored: implementations log their own failures and never throw.
/// </summary>
public interface ITrainedVersionFollowUp
{
    Task RunAsync(ModelVersionRecord version, CancellationToken cancellationToken = default);
}

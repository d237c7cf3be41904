
namespace LynqDashboard.Core.Scoring;

/// <summary>The risk policy's versions: listed, the active one read, a new one saved (with its audit line) and made active.</summary>
public interface IPolicyRegistry
{
    /// <summary>Every version, newest first.</summary>
    Task<IReadOnlyList<PolicyRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The active version (the newest); null before <see cref="SeedAsync"/>.</summary>
    Task<PolicyRecord?> GetActiveAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="policy"/> as the next version, which becomes active, and appends a <c>policy.saved</c>
    /// audit line naming <paramref name="by"/> and the version, both in one transaction. The policy's own Version is
    /// ignored: the registry numbers it. Refuses an invalid policy (<see cref="RiskPolicy.Validate"/>) with
    /// <see cref="LynqException"/>, and a save that lost a race with another with a conflict.
    /// </summary>
    Task<PolicyRecord> SaveAsync(RiskPolicy policy, string by, string note, CancellationToken cancellationToken = default);

    /// <summary>
    /// When no version is stored yet: version 1 = <paramref name="original"/> and version 2 = <paramref name="configured"/>
    /// (version 2 active). Does nothing when versions exist. Returns the active version either way.
    /// </summary>
    Task<PolicyRecord> SeedAsync(RiskPolicy original, RiskPolicy configured, CancellationToken cancellationToken = default);
}

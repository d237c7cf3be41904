using System.Text.Json;
using LynqDashboard.Core.Serialization;

namespace LynqDashboard.Core.Scoring;

/// <summary>
/// One stored version of the risk policy. Versions are numbered 1, 2, 3… and never change once saved; the newest is
/// the active one, so going back to an older policy means saving it again as a new version (the history keeps both).
/// </summary>
public sealed class PolicyRecord
{
    /// <summary>1 = the original LYNQ policy, 2 = the configured default, then one per save.</summary>
    public int Version { get; set; }

    public required string Name { get; set; }

    /// <summary>The whole <see cref="RiskPolicy"/> as JSON (<see cref="LynqJson.Compact"/>), its version included.</summary>
    public required string PolicyJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who saved it (user name or e-mail), or "system" for the seeded versions.</summary>
    public required string CreatedBy { get; set; }

    /// <summary>Why it was saved, in the saver's words.</summary>
    public string Note { get; set; } = string.Empty;

    /// <summary>The stored policy, numbered as this record (the record's number wins over whatever the JSON says).</summary>
    public RiskPolicy ToPolicy() =>
        (JsonSerializer.Deserialize<RiskPolicy>(PolicyJson, LynqJson.Compact) ?? throw new InvalidDataException($"Policy version {Version} holds no policy.")) with { Version = Version };

    /// <summary>A record for <paramref name="policy"/> as version <paramref name="version"/>.</summary>
    public static PolicyRecord For(RiskPolicy policy, int version, string createdBy, string note, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var numbered = policy with { Version = version };
        return new PolicyRecord
        {
            Version = version,
            Name = numbered.Name,
            PolicyJson = JsonSerializer.Serialize(numbered, LynqJson.Compact),
            CreatedAt = at,
            CreatedBy = createdBy,
            Note = note,
        };
    }
}

namespace LynqDashboard.Core.Monitoring;

/// <summary>How simulated traffic departs from the training population (none: it does not).</summary>
public enum TrafficDrift
{
    /// <summary>Drawn exactly as the generator draws training data.</summary>
    None,

    /// <summary>Wallet ages far younger than training (Gamma(2, scale 30): mean 60 days, about 80 % under 90); nothing else moves.</summary>
    YoungWallets,

    /// <summary>Collateral barely covering the loan or below it (collateral ratio uniform on 0.7–1.2); collateral_value_usd follows.</summary>
    ThinCollateral,

    /// <summary>The population unchanged, but outcomes drawn at twice the true PD (capped at 1): the model's calibration is off.</summary>
    DefaultRateX2,
}

/// <summary>The drifts' names as the command line, the API and the dashboard spell them, and a sentence on each.</summary>
public static class TrafficDrifts
{
    public const string None = "none";
    public const string YoungWallets = "young-wallets";
    public const string ThinCollateral = "thin-collateral";
    public const string DefaultRateX2 = "default-rate-x2";

    public static IReadOnlyList<TrafficDrift> All { get; } = [TrafficDrift.None, TrafficDrift.YoungWallets, TrafficDrift.ThinCollateral, TrafficDrift.DefaultRateX2];

    public static IReadOnlyList<string> Names { get; } = [None, YoungWallets, ThinCollateral, DefaultRateX2];

    public static string ToName(this TrafficDrift drift) => drift switch
    {
        TrafficDrift.None => None,
        TrafficDrift.YoungWallets => YoungWallets,
        TrafficDrift.ThinCollateral => ThinCollateral,
        TrafficDrift.DefaultRateX2 => DefaultRateX2,
        _ => throw new ArgumentOutOfRangeException(nameof(drift), drift, "Unknown traffic drift."),
    };

    /// <summary>What the drift does, for a person choosing one.</summary>
    public static string Describe(this TrafficDrift drift) => drift switch
    {
        TrafficDrift.None => "Applicants drawn as the training data was: no alert should fire.",
        TrafficDrift.YoungWallets => "Wallets far younger than in training (most under 90 days): wallet_age_days drifts, the true PD rises with it.",
        TrafficDrift.ThinCollateral => "Collateral barely covering the loan or below it: collateral_value_usd and collateral_ratio drift, the true PD rises.",
        TrafficDrift.DefaultRateX2 => "Applicants as in training, but twice as many default as the true PD says: the back-test shows calibration off.",
        _ => throw new ArgumentOutOfRangeException(nameof(drift), drift, "Unknown traffic drift."),
    };

    public static bool TryParse(string? text, out TrafficDrift drift)
    {
        var name = text?.Trim().ToLowerInvariant();
        foreach (var candidate in All)
        {
            if (candidate.ToName() == name)
            {
                drift = candidate;
                return true;
            }
        }

        drift = TrafficDrift.None;
        return false;
    }

    /// <summary>The message for a name that is none of them.</summary>
    public static string Expected => $"must be one of {string.Join(", ", Names)}";
}

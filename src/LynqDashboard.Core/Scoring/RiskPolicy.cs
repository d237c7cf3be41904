using System.Text.Json.Serialization;

namespace LynqDashboard.Core.Scoring;

[JsonConverter(typeof(JsonStringEnumConverter<RiskLevel>))]
public enum RiskLevel
{
    VERY_LOW,
    LOW,
    MEDIUM,
    HIGH,
    VERY_HIGH,
}

[JsonConverter(typeof(JsonStringEnumConverter<RecommendedAction>))]
public enum RecommendedAction
{
    APPROVE,
    APPROVE_WITH_CONDITIONS,
    MANUAL_REVIEW,
    REJECT,
}

/// <summary>One PD band of a risk policy.</summary>
/// <param name="Level">The risk level of this band.</param>
/// <param name="UpperPd">Exclusive upper PD bound; the last band must reach 1 (inclusive).</param>
/// <param name="Action">What the lender should do.</param>
/// <param name="RatePremium">Percentage points added to the base rate.</param>
/// <param name="LoanCapMultiplier">Multiplier on the collateral-based loan cap.</param>
public sealed record RiskBand(RiskLevel Level, double UpperPd, RecommendedAction Action, double RatePremium, double LoanCapMultiplier);

/// <summary>
/// The named, versioned mapping from PD to risk level, action, rate and loan cap. The default is the original
/// LYNQ service's: VERY_LOW &lt; 0.10 ≤ LOW &lt; 0.25 ≤ MEDIUM &lt; 0.50 ≤ HIGH &lt; 0.75 ≤ VERY_HIGH; base rate 5 %
/// plus 0/2/5/10/15; loan cap 80 % of collateral, × 0.75 for MEDIUM, × 0.5 for HIGH and VERY_HIGH.
/// </summary>
public sealed record RiskPolicy
{
    public string Name { get; init; } = "lynq-original";

    public string Version { get; init; } = "1";

    /// <summary>Base interest rate in percent.</summary>
    public double BaseRatePercent { get; init; } = 5.0;

    /// <summary>Share of the collateral value that can be lent at most, before the band multiplier.</summary>
    public double CollateralCap { get; init; } = 0.8;

    public IReadOnlyList<RiskBand> Bands { get; init; } =
    [
        new(RiskLevel.VERY_LOW, 0.10, RecommendedAction.APPROVE, 0, 1.0),
        new(RiskLevel.LOW, 0.25, RecommendedAction.APPROVE, 2, 1.0),
        new(RiskLevel.MEDIUM, 0.50, RecommendedAction.APPROVE_WITH_CONDITIONS, 5, 0.75),
        new(RiskLevel.HIGH, 0.75, RecommendedAction.MANUAL_REVIEW, 10, 0.5),
        new(RiskLevel.VERY_HIGH, 1.00, RecommendedAction.REJECT, 15, 0.5),
    ];

    public static RiskPolicy Default { get; } = new();

    public RiskBand BandFor(double pd)
    {
        foreach (var band in Bands)
        {
            if (pd < band.UpperPd)
            {
                return band;
            }
        }

        return Bands[^1];
    }

    /// <summary>Every problem as (key, message), keys relative to the policy section (e.g. "Bands:2:UpperPd").</summary>
    public IReadOnlyList<(string Key, string Message)> Validate()
    {
        var errors = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add((nameof(Name), "must name the policy"));
        }

        if (!(BaseRatePercent is >= 0 and <= 100))
        {
            errors.Add((nameof(BaseRatePercent), "must be between 0 and 100"));
        }

        if (!(CollateralCap is > 0 and <= 1))
        {
            errors.Add((nameof(CollateralCap), "must be greater than 0 and at most 1"));
        }

        if (Bands is null || Bands.Count == 0)
        {
            errors.Add((nameof(Bands), "must list at least one band"));
            return errors;
        }

        var previous = 0.0;
        for (var i = 0; i < Bands.Count; i++)
        {
            var band = Bands[i];
            if (!(band.UpperPd > previous && band.UpperPd <= 1))
            {
                errors.Add(($"Bands:{i}:UpperPd", $"must be above the previous band's ({previous}) and at most 1"));
            }

            if (!(band.RatePremium is >= 0 and <= 100))
            {
                errors.Add(($"Bands:{i}:RatePremium", "must be between 0 and 100"));
            }

            if (!(band.LoanCapMultiplier is >= 0 and <= 1))
            {
                errors.Add(($"Bands:{i}:LoanCapMultiplier", "must be between 0 and 1"));
            }

            previous = band.UpperPd;
        }

        if (Bands[^1].UpperPd != 1)
        {
            errors.Add(($"Bands:{Bands.Count - 1}:UpperPd", "the last band must end at 1"));
        }

        return errors;
    }
}

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

/// <summary>What the lender should do, ordered from the kindest to the strictest (the policy's rules compare them).</summary>
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

/// <summary>What a policy decided for one applicant, and why.</summary>
/// <param name="Band">The PD band the applicant fell in.</param>
/// <param name="Action">The action after the hard rules.</param>
/// <param name="MaxLoanAmount">The most that may be lent (collateral × cap × the band's multiplier).</param>
/// <param name="Reason">Which band or rule decided, in words ("band LOW: PD 3.1 % below 5 %", "rule: …").</param>
public sealed record PolicyDecision(RiskBand Band, RecommendedAction Action, double MaxLoanAmount, string Reason);

/// <summary>
/// The versioned mapping from PD to risk level, action, rate and loan cap, plus hard rules that override the band.
/// Version 1 is the original LYNQ service's, kept for the record: bands made for class-weighted scores (VERY_LOW &lt; 0.10
/// ≤ LOW &lt; 0.25 ≤ MEDIUM &lt; 0.50 ≤ HIGH &lt; 0.75 ≤ VERY_HIGH), no hard rules. The default (<see cref="Default"/>) is
/// made for a calibrated PD on an 8 % book: VERY_LOW &lt; 2 % ≤ LOW &lt; 5 % ≤ MEDIUM &lt; 10 % ≤ HIGH &lt; 20 % ≤ VERY_HIGH,
/// declined from 20 % (2.5 times the base rate); a collateral ratio below 1 or a fraud score of 0.7 or more is at least a
/// manual review; a loan above the maximum is approved with conditions at the maximum, or rejected when the maximum is 0.
/// </summary>
public sealed record RiskPolicy
{
    public string Name { get; init; } = "calibrated-pd";

    /// <summary>The policy's version in the registry (1 = the LYNQ original); every answer carries it.</summary>
    public int Version { get; init; } = 2;

    /// <summary>Base interest rate in percent.</summary>
    public double BaseRatePercent { get; init; } = 5.0;

    /// <summary>Share of the collateral value that can be lent at most, before the band multiplier.</summary>
    public double CollateralCap { get; init; } = 0.8;

    /// <summary>A collateral ratio below this is at least a manual review; 0 turns the rule off.</summary>
    public double MinCollateralRatio { get; init; } = 1.0;

    /// <summary>A fraud score at or above this is at least a manual review; above 1 turns the rule off.</summary>
    public double FraudReviewScore { get; init; } = 0.7;

    /// <summary>True: a loan above the maximum is approved with conditions at the maximum, or rejected when the maximum is 0.</summary>
    public bool CapLoanAtMaximum { get; init; } = true;

    public IReadOnlyList<RiskBand> Bands { get; init; } =
    [
        new(RiskLevel.VERY_LOW, 0.02, RecommendedAction.APPROVE, 0, 1.0),
        new(RiskLevel.LOW, 0.05, RecommendedAction.APPROVE, 2, 1.0),
        new(RiskLevel.MEDIUM, 0.10, RecommendedAction.APPROVE_WITH_CONDITIONS, 5, 0.75),
        new(RiskLevel.HIGH, 0.20, RecommendedAction.MANUAL_REVIEW, 10, 0.5),
        new(RiskLevel.VERY_HIGH, 1.00, RecommendedAction.REJECT, 15, 0.5),
    ];

    /// <summary>The default for a calibrated PD.</summary>
    public static RiskPolicy Default { get; } = new();

    /// <summary>The original LYNQ service's policy (version 1), kept for the record: its bands and no hard rules.</summary>
    public static RiskPolicy LynqOriginal { get; } = new()
    {
        Name = "lynq-original",
        Version = 1,
        MinCollateralRatio = 0,
        FraudReviewScore = 1.01,
        CapLoanAtMaximum = false,
        Bands =
        [
            new(RiskLevel.VERY_LOW, 0.10, RecommendedAction.APPROVE, 0, 1.0),
            new(RiskLevel.LOW, 0.25, RecommendedAction.APPROVE, 2, 1.0),
            new(RiskLevel.MEDIUM, 0.50, RecommendedAction.APPROVE_WITH_CONDITIONS, 5, 0.75),
            new(RiskLevel.HIGH, 0.75, RecommendedAction.MANUAL_REVIEW, 10, 0.5),
            new(RiskLevel.VERY_HIGH, 1.00, RecommendedAction.REJECT, 15, 0.5),
        ],
    };

    /// <summary>The lowest PD that is not approved (the upper end of the last band whose action approves): what the version page's cards use.</summary>
    [JsonIgnore]
    public double DeclineCutoff => Bands.TakeWhile(b => b.Action is RecommendedAction.APPROVE or RecommendedAction.APPROVE_WITH_CONDITIONS).LastOrDefault()?.UpperPd ?? 0;

    /// <summary>
    /// This policy with its decline cutoff moved to <paramref name="cutoff"/>: the last approving band now ends there.
    /// Bands that would no longer fit (an approving band below already ending above the new cutoff, a declining band
    /// above ending below it) are squeezed or stretched in proportion, so the result stays in order; the others keep
    /// their bounds. Unchanged when no band approves or every band does (there is no cutoff to move).
    /// </summary>
    /// <param name="cutoff">The new decline cutoff, a PD between 0 and 1 (exclusive; clamped to 0.0001–0.9999).</param>
    public RiskPolicy WithDeclineCutoff(double cutoff)
    {
        var last = -1;
        while (last + 1 < Bands.Count && Bands[last + 1].Action is RecommendedAction.APPROVE or RecommendedAction.APPROVE_WITH_CONDITIONS)
        {
            last++;
        }

        if (last < 0 || last == Bands.Count - 1 || double.IsNaN(cutoff))
        {
            return this;
        }

        // Not rounded: a cutoff taken from a test row's PD (a float) must keep that row out, as it would be when scored.
        var c = Math.Clamp(cutoff, 0.0001, 0.9999);
        var old = Bands[last].UpperPd;
        var squeezeBelow = last > 0 && Bands[last - 1].UpperPd >= c;
        var stretchAbove = last + 1 < Bands.Count - 1 && Bands[last + 1].UpperPd <= c;
        double Moved(int i, double upper) => i == last ? c
            : i < last ? (squeezeBelow ? Math.Round(upper * c / old, 6) : upper)
            : i == Bands.Count - 1 || !stretchAbove ? upper
            : Math.Round(c + ((upper - old) * (1 - c) / (1 - old)), 6);
        return this with { Bands = [.. Bands.Select((b, i) => b with { UpperPd = Moved(i, b.UpperPd) })] };
    }

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

    /// <summary>The band's answer for this applicant, then the hard rules; the reason names whichever decided.</summary>
    /// <param name="pd">The calibrated PD.</param>
    /// <param name="loanAmount">The loan asked for.</param>
    /// <param name="collateralValueUsd">The collateral pledged.</param>
    /// <param name="fraudScore">The rule-based fraud score (0–1).</param>
    public PolicyDecision Decide(double pd, double loanAmount, double collateralValueUsd, double fraudScore)
    {
        var band = BandFor(pd);
        var action = band.Action;
        var maxLoan = Math.Round(collateralValueUsd * CollateralCap * band.LoanCapMultiplier, 2);
        var reason = band == Bands[^1] && Bands.Count > 1
            ? $"band {band.Level}: PD {pd:P1} at or above {Bands[^2].UpperPd:P0}"
            : $"band {band.Level}: PD {pd:P1} below {band.UpperPd:P0}";
        var ratio = Features.LoanFeatures.ComputeCollateralRatio(loanAmount, collateralValueUsd);

        void AtLeast(RecommendedAction floor, string why)
        {
            if (action < floor)
            {
                (action, reason) = (floor, why);
            }
        }

        if (CapLoanAtMaximum && loanAmount > maxLoan)
        {
            if (maxLoan <= 0)
            {
                AtLeast(RecommendedAction.REJECT, "rule: the maximum loan is $0 (no collateral to lend against)");
            }
            else
            {
                AtLeast(RecommendedAction.APPROVE_WITH_CONDITIONS, $"rule: the loan asked for is above the maximum of ${maxLoan:N2}; approve at most that");
            }
        }

        if (ratio < MinCollateralRatio)
        {
            AtLeast(RecommendedAction.MANUAL_REVIEW, $"rule: collateral ratio {ratio:0.00} below {MinCollateralRatio:0.00}");
        }

        if (fraudScore >= FraudReviewScore)
        {
            AtLeast(RecommendedAction.MANUAL_REVIEW, $"rule: fraud score {fraudScore:0.00} at or above {FraudReviewScore:0.00}");
        }

        return new PolicyDecision(band, action, maxLoan, reason);
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

        if (!(MinCollateralRatio is >= 0 and <= 100))
        {
            errors.Add((nameof(MinCollateralRatio), "must be between 0 (off) and 100"));
        }

        if (!(FraudReviewScore is >= 0 and <= 1.01))
        {
            errors.Add((nameof(FraudReviewScore), "must be between 0 and 1, or 1.01 to turn the rule off"));
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

            if (i > 0 && band.Action < Bands[i - 1].Action)
            {
                errors.Add(($"Bands:{i}:Action", $"must be at least as strict as the band below ({Bands[i - 1].Action}): a higher PD never gets a kinder action"));
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

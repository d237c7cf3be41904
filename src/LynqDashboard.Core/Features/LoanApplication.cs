namespace LynqDashboard.Core.Features;

/// <summary>One loan application as a caller supplies it: the 11 LYNQ fields; collateral_ratio is computed.</summary>
public sealed record LoanApplication
{
    public string? WalletAddress { get; init; }
    public int WalletAgeDays { get; init; }
    public int TotalTransactions { get; init; }
    public double TotalVolumeUsd { get; init; }
    public int DefiInteractions { get; init; }
    public double LoanAmount { get; init; }
    public double CollateralValueUsd { get; init; }
    public int TermMonths { get; init; }
    public int PreviousLoans { get; init; }
    public int SuccessfulRepayments { get; init; }
    public int Defaults { get; init; }
    public int ReputationScore { get; init; } = 50;

    public double CollateralRatio => LoanFeatures.ComputeCollateralRatio(LoanAmount, CollateralValueUsd);

    /// <summary>The LYNQ example applicant, used as the form default and the promotion smoke test.</summary>
    public static LoanApplication Example { get; } = new()
    {
        WalletAddress = "0x0000000000000000000000000000000000000001",
        WalletAgeDays = 365,
        TotalTransactions = 150,
        TotalVolumeUsd = 50_000,
        DefiInteractions = 25,
        LoanAmount = 1_000,
        CollateralValueUsd = 1_500,
        TermMonths = 3,
        PreviousLoans = 2,
        SuccessfulRepayments = 2,
        Defaults = 0,
        ReputationScore = 75,
    };

    /// <summary>The value of one feature (collateral_ratio computed).</summary>
    public double Get(FeatureSpec feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return feature.Index switch
        {
            0 => WalletAgeDays,
            1 => TotalTransactions,
            2 => TotalVolumeUsd,
            3 => DefiInteractions,
            4 => LoanAmount,
            5 => CollateralValueUsd,
            6 => TermMonths,
            7 => PreviousLoans,
            8 => SuccessfulRepayments,
            9 => Defaults,
            10 => ReputationScore,
            _ => CollateralRatio,
        };
    }

    /// <summary>A copy with one supplied feature changed (whole-number features are rounded).</summary>
    public LoanApplication With(FeatureSpec feature, double value)
    {
        ArgumentNullException.ThrowIfNull(feature);
        var whole = (int)Math.Round(value);
        return feature.Index switch
        {
            0 => this with { WalletAgeDays = whole },
            1 => this with { TotalTransactions = whole },
            2 => this with { TotalVolumeUsd = value },
            3 => this with { DefiInteractions = whole },
            4 => this with { LoanAmount = value },
            5 => this with { CollateralValueUsd = value },
            6 => this with { TermMonths = whole },
            7 => this with { PreviousLoans = whole },
            8 => this with { SuccessfulRepayments = whole },
            9 => this with { Defaults = whole },
            10 => this with { ReputationScore = whole },
            _ => throw new ArgumentException($"{feature.Name} is computed and cannot be set.", nameof(feature)),
        };
    }

    /// <summary>Writes the 12 features in model order into <paramref name="destination"/>.</summary>
    public void CopyFeaturesTo(Span<float> destination) => LoanFeatures.Write(
        destination, WalletAgeDays, TotalTransactions, TotalVolumeUsd, DefiInteractions, LoanAmount, CollateralValueUsd,
        TermMonths, PreviousLoans, SuccessfulRepayments, Defaults, ReputationScore);

    /// <summary>Every rule the application breaks, as (field, message) pairs; empty when valid.</summary>
    public IReadOnlyList<(string Field, string Message)> Validate() =>
        [.. LoanFeatures.Supplied.Select(spec => (spec.Name, Message: spec.Check(Get(spec)))).Where(e => e.Message is not null).Select(e => (e.Name, e.Message!))];
}

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

    /// <summary>Writes the 12 features in model order into <paramref name="destination"/>.</summary>
    public void CopyFeaturesTo(Span<float> destination) => LoanFeatures.Write(
        destination, WalletAgeDays, TotalTransactions, TotalVolumeUsd, DefiInteractions, LoanAmount, CollateralValueUsd,
        TermMonths, PreviousLoans, SuccessfulRepayments, Defaults, ReputationScore);

    /// <summary>Every rule the application breaks, as (field, message) pairs; empty when valid.</summary>
    public IReadOnlyList<(string Field, string Message)> Validate()
    {
        double[] values =
        [
            WalletAgeDays, TotalTransactions, TotalVolumeUsd, DefiInteractions, LoanAmount, CollateralValueUsd,
            TermMonths, PreviousLoans, SuccessfulRepayments, Defaults, ReputationScore,
        ];
        var errors = new List<(string, string)>();
        foreach (var spec in LoanFeatures.Supplied)
        {
            if (spec.Check(values[spec.Index]) is { } message)
            {
                errors.Add((spec.Name, message));
            }
        }

        return errors;
    }
}

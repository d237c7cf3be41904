using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Data;

/// <summary>One generated row: the 11 supplied features, the realised label and the true default probability.</summary>
public struct GeneratedLoan
{
    public int WalletAgeDays { get; set; }
    public int TotalTransactions { get; set; }
    public double TotalVolumeUsd { get; set; }
    public int DefiInteractions { get; set; }
    public double LoanAmount { get; set; }
    public double CollateralValueUsd { get; set; }
    public int TermMonths { get; set; }
    public int PreviousLoans { get; set; }
    public int SuccessfulRepayments { get; set; }
    public int Defaults { get; set; }
    public int ReputationScore { get; set; }
    public bool Default { get; set; }
    public double TruePd { get; set; }

    public readonly double CollateralRatio => LoanFeatures.ComputeCollateralRatio(LoanAmount, CollateralValueUsd);

    /// <summary>Writes the 12 features in model order.</summary>
    public readonly void CopyFeaturesTo(Span<float> destination) => LoanFeatures.Write(
        destination, WalletAgeDays, TotalTransactions, TotalVolumeUsd, DefiInteractions, LoanAmount, CollateralValueUsd,
        TermMonths, PreviousLoans, SuccessfulRepayments, Defaults, ReputationScore);
}

using System.Runtime.CompilerServices;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Data;

/// <summary>
/// One generated row: the 11 supplied features (kept by feature index, so the CSV writer and the dataset read them
/// through their specs), the realised label and the true default probability. The named properties are for the
/// generator, which decides each one.
/// </summary>
public struct GeneratedLoan
{
    private SuppliedFeatureValues _values;

    public int WalletAgeDays { readonly get => Whole(LoanFeatures.WalletAgeDays); set => Set(LoanFeatures.WalletAgeDays, value); }
    public int TotalTransactions { readonly get => Whole(LoanFeatures.TotalTransactions); set => Set(LoanFeatures.TotalTransactions, value); }
    public double TotalVolumeUsd { readonly get => Get(LoanFeatures.TotalVolumeUsd); set => Set(LoanFeatures.TotalVolumeUsd, value); }
    public int DefiInteractions { readonly get => Whole(LoanFeatures.DefiInteractions); set => Set(LoanFeatures.DefiInteractions, value); }
    public double LoanAmount { readonly get => Get(LoanFeatures.LoanAmount); set => Set(LoanFeatures.LoanAmount, value); }
    public double CollateralValueUsd { readonly get => Get(LoanFeatures.CollateralValueUsd); set => Set(LoanFeatures.CollateralValueUsd, value); }
    public int TermMonths { readonly get => Whole(LoanFeatures.TermMonths); set => Set(LoanFeatures.TermMonths, value); }
    public int PreviousLoans { readonly get => Whole(LoanFeatures.PreviousLoans); set => Set(LoanFeatures.PreviousLoans, value); }
    public int SuccessfulRepayments { readonly get => Whole(LoanFeatures.SuccessfulRepayments); set => Set(LoanFeatures.SuccessfulRepayments, value); }
    public int Defaults { readonly get => Whole(LoanFeatures.Defaults); set => Set(LoanFeatures.Defaults, value); }
    public int ReputationScore { readonly get => Whole(LoanFeatures.ReputationScore); set => Set(LoanFeatures.ReputationScore, value); }
    public bool Default { get; set; }
    public double TruePd { get; set; }

    public readonly double CollateralRatio => LoanFeatures.ComputeCollateralRatio(LoanAmount, CollateralValueUsd);

    /// <summary>The value of one feature (collateral_ratio computed).</summary>
    public readonly double Get(FeatureSpec feature) => feature.IsComputed ? CollateralRatio : _values[feature.Index];

    /// <summary>Writes the 12 features in model order.</summary>
    public readonly void CopyFeaturesTo(Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, LoanFeatures.Count, nameof(destination));
        for (var i = 0; i < LoanFeatures.SuppliedCount; i++)
        {
            destination[i] = (float)_values[i];
        }

        destination[LoanFeatures.CollateralRatio.Index] = (float)CollateralRatio;
    }

    private readonly int Whole(FeatureSpec feature) => (int)_values[feature.Index];

    private void Set(FeatureSpec feature, double value) => _values[feature.Index] = value;
}

/// <summary>The 11 supplied feature values of a row, inline (no allocation per row).</summary>
[InlineArray(LoanFeatures.SuppliedCount)]
internal struct SuppliedFeatureValues
{
    private double _first;
}

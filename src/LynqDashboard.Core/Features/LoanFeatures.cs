namespace LynqDashboard.Core.Features;

/// <summary>
/// The one place that knows the 12 model features and their order. The scoring contract, the CSV
/// layout and every saved model depend on this order: append, never reorder.
/// </summary>
public static class LoanFeatures
{
    public const int Count = 12;

    /// <summary>CSV column of the realised outcome (0 or 1).</summary>
    public const string LabelColumn = "default_event";

    /// <summary>CSV column of the generator's true default probability; never a model input.</summary>
    public const string TruePdColumn = "true_pd";

    public static readonly FeatureSpec WalletAgeDays = Count0("wallet_age_days", 0, "days");
    public static readonly FeatureSpec TotalTransactions = Count0("total_transactions", 1, "");
    public static readonly FeatureSpec TotalVolumeUsd = Amount("total_volume_usd", 2);
    public static readonly FeatureSpec DefiInteractions = Count0("defi_interactions", 3, "");
    public static readonly FeatureSpec LoanAmount = new("loan_amount", 4, false, 0, double.PositiveInfinity, true, false, "USD");
    public static readonly FeatureSpec CollateralValueUsd = Amount("collateral_value_usd", 5);
    public static readonly FeatureSpec TermMonths = new("term_months", 6, true, 1, 36, false, false, "months");
    public static readonly FeatureSpec PreviousLoans = Count0("previous_loans", 7, "");
    public static readonly FeatureSpec SuccessfulRepayments = Count0("successful_repayments", 8, "");
    public static readonly FeatureSpec Defaults = Count0("defaults", 9, "");
    public static readonly FeatureSpec ReputationScore = new("reputation_score", 10, true, 0, 100, false, false, "");
    public static readonly FeatureSpec CollateralRatio = new("collateral_ratio", 11, false, 0, double.PositiveInfinity, false, true, "");

    /// <summary>All 12 features in model order.</summary>
    public static IReadOnlyList<FeatureSpec> All { get; } =
    [
        WalletAgeDays, TotalTransactions, TotalVolumeUsd, DefiInteractions, LoanAmount, CollateralValueUsd,
        TermMonths, PreviousLoans, SuccessfulRepayments, Defaults, ReputationScore, CollateralRatio,
    ];

    /// <summary>The 11 features a caller supplies (everything but collateral_ratio), in model order.</summary>
    public static IReadOnlyList<FeatureSpec> Supplied { get; } = [.. All.Where(f => !f.IsComputed)];

    /// <summary>Feature names in model order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(f => f.Name)];

    /// <summary>collateral_value_usd / loan_amount, and 0 when the loan amount is 0.</summary>
    public static double ComputeCollateralRatio(double loanAmount, double collateralValueUsd) =>
        loanAmount == 0 ? 0 : collateralValueUsd / loanAmount;

    /// <summary>Writes the 12 features in model order, computing collateral_ratio: the one place that knows the order.</summary>
    public static void Write(
        Span<float> destination,
        double walletAgeDays,
        double totalTransactions,
        double totalVolumeUsd,
        double defiInteractions,
        double loanAmount,
        double collateralValueUsd,
        double termMonths,
        double previousLoans,
        double successfulRepayments,
        double defaults,
        double reputationScore)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Count, nameof(destination));
        destination[WalletAgeDays.Index] = (float)walletAgeDays;
        destination[TotalTransactions.Index] = (float)totalTransactions;
        destination[TotalVolumeUsd.Index] = (float)totalVolumeUsd;
        destination[DefiInteractions.Index] = (float)defiInteractions;
        destination[LoanAmount.Index] = (float)loanAmount;
        destination[CollateralValueUsd.Index] = (float)collateralValueUsd;
        destination[TermMonths.Index] = (float)termMonths;
        destination[PreviousLoans.Index] = (float)previousLoans;
        destination[SuccessfulRepayments.Index] = (float)successfulRepayments;
        destination[Defaults.Index] = (float)defaults;
        destination[ReputationScore.Index] = (float)reputationScore;
        destination[CollateralRatio.Index] = (float)ComputeCollateralRatio(loanAmount, collateralValueUsd);
    }

    public static FeatureSpec? Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    private static FeatureSpec Count0(string name, int index, string unit) =>
        new(name, index, true, 0, double.PositiveInfinity, false, false, unit);

    private static FeatureSpec Amount(string name, int index) =>
        new(name, index, false, 0, double.PositiveInfinity, false, false, "USD");
}

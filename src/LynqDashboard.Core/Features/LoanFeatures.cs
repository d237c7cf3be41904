namespace LynqDashboard.Core.Features;

/// <summary>
/// The one place that knows the 12 model features and their order, and which way each should move the PD (a higher
/// value of: wallet age, total volume, collateral value, collateral ratio, repayments, reputation → a lower PD; loan
/// amount, defaults → a higher PD; transactions, DeFi interactions, term and the number of previous loans: no direction).
/// The scoring contract, the CSV layout and every saved model depend on this order: append, never reorder.
/// </summary>
public static class LoanFeatures
{
    public const int Count = 12;

    /// <summary>The features a caller supplies: all but collateral_ratio, which is computed and comes last.</summary>
    public const int SuppliedCount = Count - 1;

    /// <summary>CSV column of the realised outcome (0 or 1).</summary>
    public const string LabelColumn = "default_event";

    /// <summary>CSV column of the generator's true default probability; never a model input.</summary>
    public const string TruePdColumn = "true_pd";

    /// <summary>Largest amount in USD any field accepts: far above any real loan, far below what overflows a ratio or a float.</summary>
    public const double MaxAmountUsd = 1e12;

    /// <summary>Largest count (transactions, loans) any field accepts.</summary>
    public const double MaxCount = 1e9;

    /// <summary>Smallest loan accepted (one cent): a smaller one would make collateral_ratio overflow.</summary>
    public const double MinLoanUsd = 0.01;

    /// <summary>Longest wallet_address accepted (an address or an id, not a document).</summary>
    public const int MaxWalletAddressLength = 128;

    public static readonly FeatureSpec WalletAgeDays = new(
        "wallet_age_days", 0, "Wallet age (days)", "Days since the wallet's first transaction.", "days",
        IsInteger: true, Minimum: 0, Maximum: 36_500, Direction: FeatureDirection.LowersPd);

    public static readonly FeatureSpec TotalTransactions = new(
        "total_transactions", 1, "Total transactions", "Transactions the wallet has made.", string.Empty,
        IsInteger: true, Minimum: 0, Maximum: MaxCount);

    public static readonly FeatureSpec TotalVolumeUsd = new(
        "total_volume_usd", 2, "Total volume (USD)", "Value the wallet has moved, in US dollars.", "USD",
        IsInteger: false, Minimum: 0, Maximum: MaxAmountUsd, Direction: FeatureDirection.LowersPd);

    public static readonly FeatureSpec DefiInteractions = new(
        "defi_interactions", 3, "DeFi interactions", "Distinct DeFi contracts the wallet has used.", string.Empty,
        IsInteger: true, Minimum: 0, Maximum: MaxCount);

    public static readonly FeatureSpec LoanAmount = new(
        "loan_amount", 4, "Loan amount (USD)", "The amount asked for, in US dollars.", "USD",
        IsInteger: false, Minimum: MinLoanUsd, Maximum: MaxAmountUsd, Direction: FeatureDirection.RaisesPd, Lever: FeatureLever.Lower);

    public static readonly FeatureSpec CollateralValueUsd = new(
        "collateral_value_usd", 5, "Collateral value (USD)", "Value of the collateral pledged, in US dollars.", "USD",
        IsInteger: false, Minimum: 0, Maximum: MaxAmountUsd, Direction: FeatureDirection.LowersPd, Lever: FeatureLever.Raise);

    public static readonly FeatureSpec TermMonths = new(
        "term_months", 6, "Term (months)", "Length of the loan in months.", "months",
        IsInteger: true, Minimum: 1, Maximum: 36, MaximumIsDomainBound: true, Lever: FeatureLever.Lower);

    public static readonly FeatureSpec PreviousLoans = new(
        "previous_loans", 7, "Previous loans", "Loans the wallet has taken before.", string.Empty,
        IsInteger: true, Minimum: 0, Maximum: MaxCount, Default: 0);

    public static readonly FeatureSpec SuccessfulRepayments = new(
        "successful_repayments", 8, "Successful repayments", "Earlier loans repaid in full.", string.Empty,
        IsInteger: true, Minimum: 0, Maximum: MaxCount, Default: 0, Direction: FeatureDirection.LowersPd);

    public static readonly FeatureSpec Defaults = new(
        "defaults", 9, "Defaults", "Earlier loans not repaid.", string.Empty,
        IsInteger: true, Minimum: 0, Maximum: MaxCount, Default: 0, Direction: FeatureDirection.RaisesPd);

    public static readonly FeatureSpec ReputationScore = new(
        "reputation_score", 10, "Reputation score", "On-chain reputation, 0 (worst) to 100 (best).", string.Empty,
        IsInteger: true, Minimum: 0, Maximum: 100, MaximumIsDomainBound: true, Default: 50, Direction: FeatureDirection.LowersPd);

    public static readonly FeatureSpec CollateralRatio = new(
        "collateral_ratio", 11, "Collateral ratio", "Collateral value ÷ loan amount; computed, never sent.", string.Empty,
        IsInteger: false, Minimum: 0, Maximum: MaxAmountUsd / MinLoanUsd, Direction: FeatureDirection.LowersPd, IsComputed: true, Decimals: 6);

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

    public static FeatureSpec? Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}

using LynqDashboard.Core.Features;

namespace LynqDashboard.Web.Model;

/// <summary>The scoring form: the 11 supplied fields, starting at the LYNQ example applicant, checked with the API's rules.</summary>
public sealed class ScoreForm
{
    public double WalletAgeDays { get; set; } = LoanApplication.Example.WalletAgeDays;
    public double TotalTransactions { get; set; } = LoanApplication.Example.TotalTransactions;
    public double TotalVolumeUsd { get; set; } = LoanApplication.Example.TotalVolumeUsd;
    public double DefiInteractions { get; set; } = LoanApplication.Example.DefiInteractions;
    public double LoanAmount { get; set; } = LoanApplication.Example.LoanAmount;
    public double CollateralValueUsd { get; set; } = LoanApplication.Example.CollateralValueUsd;
    public double TermMonths { get; set; } = LoanApplication.Example.TermMonths;
    public double PreviousLoans { get; set; } = LoanApplication.Example.PreviousLoans;
    public double SuccessfulRepayments { get; set; } = LoanApplication.Example.SuccessfulRepayments;
    public double Defaults { get; set; } = LoanApplication.Example.Defaults;
    public double ReputationScore { get; set; } = LoanApplication.Example.ReputationScore;

    public double CollateralRatio => LoanFeatures.ComputeCollateralRatio(LoanAmount, CollateralValueUsd);

    /// <summary>Messages by feature name, with the API's rules; empty when the application can be scored.</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        foreach (var spec in LoanFeatures.Supplied)
        {
            if (spec.Check(Value(spec)) is { } message)
            {
                errors[spec.Name] = $"{Label(spec)} {message}.";
            }
        }

        return errors;
    }

    public LoanApplication ToApplication() => LoanFeatures.Supplied.Aggregate(
        LoanApplication.Example with { WalletAddress = "dashboard" }, (application, spec) => application.With(spec, Value(spec)));

    public double Value(FeatureSpec spec) => spec.Name switch
    {
        "wallet_age_days" => WalletAgeDays,
        "total_transactions" => TotalTransactions,
        "total_volume_usd" => TotalVolumeUsd,
        "defi_interactions" => DefiInteractions,
        "loan_amount" => LoanAmount,
        "collateral_value_usd" => CollateralValueUsd,
        "term_months" => TermMonths,
        "previous_loans" => PreviousLoans,
        "successful_repayments" => SuccessfulRepayments,
        "defaults" => Defaults,
        "reputation_score" => ReputationScore,
        _ => CollateralRatio,
    };

    public void Set(FeatureSpec spec, double value)
    {
        switch (spec.Name)
        {
            case "wallet_age_days": WalletAgeDays = value; break;
            case "total_transactions": TotalTransactions = value; break;
            case "total_volume_usd": TotalVolumeUsd = value; break;
            case "defi_interactions": DefiInteractions = value; break;
            case "loan_amount": LoanAmount = value; break;
            case "collateral_value_usd": CollateralValueUsd = value; break;
            case "term_months": TermMonths = value; break;
            case "previous_loans": PreviousLoans = value; break;
            case "successful_repayments": SuccessfulRepayments = value; break;
            case "defaults": Defaults = value; break;
            case "reputation_score": ReputationScore = value; break;
            default: throw new ArgumentException($"{spec.Name} is computed.", nameof(spec));
        }
    }

    public static string Label(FeatureSpec spec) => char.ToUpperInvariant(spec.Name[0]) + spec.Name[1..].Replace('_', ' ');
}

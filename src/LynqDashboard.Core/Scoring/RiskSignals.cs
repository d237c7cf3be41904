using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Scoring;

/// <summary>Rule-based fraud and anomaly scores (0–1), independent of the model.</summary>
public static class RiskSignals
{
    public static double FraudScore(LoanApplication a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var score = 0.0;
        if (a.WalletAgeDays < 30)
        {
            score += 0.3;
        }

        if (a.TotalTransactions < 10)
        {
            score += 0.2;
        }

        var averageTransaction = a.TotalVolumeUsd / Math.Max(1, a.TotalTransactions);
        if (a.LoanAmount > 50 * Math.Max(averageTransaction, 1))
        {
            score += 0.3;
        }

        if (a.CollateralValueUsd < a.LoanAmount)
        {
            score += 0.2;
        }

        return Math.Min(1, score);
    }

    public static double AnomalyScore(LoanApplication a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var score = 0.0;
        if (a.SuccessfulRepayments + a.Defaults > a.PreviousLoans)
        {
            score += 0.4; // more outcomes than loans
        }

        if (a.Defaults > 0 && a.Defaults >= a.SuccessfulRepayments)
        {
            score += 0.3;
        }

        if (a.LoanAmount > a.TotalVolumeUsd)
        {
            score += 0.2;
        }

        if (a.CollateralRatio > 10)
        {
            score += 0.1;
        }

        return Math.Min(1, score);
    }
}

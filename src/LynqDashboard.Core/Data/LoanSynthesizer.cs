using System.Collections.Concurrent;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace LynqDashboard.Core.Data;

/// <summary>
/// Turns one borrower's raw draws into a loan row and its label.
/// <para>
/// Probabilistic mode: repayment history and reputation are noisy readings of the borrower's latent risk
/// (the LYNQ weighted score), never of the realised label. The true default probability is a logistic
/// function of the risk that shows in the 12 features, so <c>true_pd</c> is the best PD any model can
/// know and the oracle AUC is the real ceiling. The intercept is solved on a fixed pilot sample so the
/// expected default rate equals the requested one.
/// </para>
/// <para>
/// The features are derived so each moves the true PD the way a lender expects (the directions declared in
/// <see cref="Features.LoanFeatures"/>): collateral = loan ÷ utilization, so the recipe's risk driver shows as a thinner
/// cushion; the loan's size against income follows the borrower's debt-to-income through a Gaussian copula (the loan
/// multiplier keeps its U(0.5, 3) distribution), so borrowing more against the same income is riskier; some earlier
/// loans are still open, so repayments and defaults each carry their own weight. lynq-original keeps the original
/// script's formulas (collateral = loan × (1 + utilization × 0.5), history from the realised label) on purpose.
/// </para>
/// </summary>
internal sealed class LoanSynthesizer
{
    /// <summary>Slope of the logistic link on the standardised observable risk; sets how separable the classes are.</summary>
    internal const double Steepness = 1.5;

    /// <summary>Share of labels the original script flipped at random.</summary>
    internal const double OriginalFlipRate = 0.05;

    /// <summary>How closely the loan's size against income follows the borrower's debt-to-income (Gaussian copula).</summary>
    internal const double LoanToDebtCorrelation = 0.8;

    /// <summary>Chance that an earlier loan is still open (neither repaid nor defaulted yet).</summary>
    internal const double OpenLoanShare = 0.2;

    /// <summary>Monthly income ÷ 12 of total volume, in the recipe: volume ≈ income × 12 × U(0.8, 1.2).</summary>
    private const double VolumeMonths = 12.0;

    private const int PilotRows = 100_000;
    private const long PilotSeed = 0x1A7E_5EED;
    private static readonly ConcurrentDictionary<(LabelMode, double), LoanSynthesizer> Cache = new();

    private readonly LabelMode _mode;
    private readonly double _intercept;
    private readonly double _scoreMean;
    private readonly double _scoreStd;
    private readonly double _riskThreshold;

    private LoanSynthesizer(LabelMode mode, double intercept, double scoreMean, double scoreStd, double riskThreshold)
    {
        _mode = mode;
        _intercept = intercept;
        _scoreMean = scoreMean;
        _scoreStd = scoreStd;
        _riskThreshold = riskThreshold;
    }

    /// <summary>The synthesizer for a mode and target rate, calibrated once per process on a fixed pilot sample.</summary>
    public static LoanSynthesizer For(LabelMode mode, double defaultRate) =>
        Cache.GetOrAdd((mode, defaultRate), key => Calibrate(key.Item1, key.Item2));

    public void Next(Random rng, out GeneratedLoan loan)
    {
        var draws = BorrowerDraws.Sample(rng);
        loan = default;
        loan.WalletAgeDays = draws.WalletAgeDays;
        loan.TotalVolumeUsd = Cents(draws.MonthlyIncomeUsd * VolumeMonths * ContinuousUniform.Sample(rng, 0.8, 1.2));
        loan.DefiInteractions = draws.UniqueContracts;
        loan.TotalTransactions = (draws.Velocity24h * 30) + Poisson.Sample(rng, 50.0);
        var honest = _mode == LabelMode.Probabilistic;
        var multiplier = honest ? 0.5 + (2.5 * LoanQuantile(rng, draws.DebtToIncomePercent)) : ContinuousUniform.Sample(rng, 0.5, 3.0);
        loan.LoanAmount = Math.Max(0.01, Cents(draws.MonthlyIncomeUsd * multiplier));
        loan.CollateralValueUsd = honest
            ? Cents(loan.LoanAmount / draws.CollateralUtilization)
            : Cents(loan.LoanAmount * (1.0 + (draws.CollateralUtilization * 0.5)));
        loan.TermMonths = DrawTerm(rng);
        loan.PreviousLoans = Poisson.Sample(rng, 2.0);

        if (honest)
        {
            DeriveHistoryFromLatentRisk(rng, draws, ref loan);
            loan.TruePd = TruePdOf(loan);
            loan.Default = rng.NextDouble() < loan.TruePd;
        }
        else
        {
            var risky = draws.RiskScore > _riskThreshold;
            loan.Default = rng.NextDouble() < OriginalFlipRate ? !risky : risky;
            loan.TruePd = risky ? 1.0 - OriginalFlipRate : OriginalFlipRate;
            DeriveHistoryFromLabel(rng, ref loan);
        }
    }

    /// <summary>
    /// The probabilistic mode's true default probability of a row from its features alone; the traffic simulator asks
    /// it again after moving a feature, so a drifted population keeps the same risk model.
    /// </summary>
    internal double TruePdOf(in GeneratedLoan loan) => Sigmoid(_intercept + (Steepness * ((ObservableRisk(loan) - _scoreMean) / _scoreStd)));

    /// <summary>
    /// The risk visible in the 12 features; the probabilistic label depends on nothing else. Each term moves the way
    /// its feature's declared direction says: a thinner collateral cushion (utilization = 1 ÷ collateral ratio), a
    /// younger wallet, a bigger loan against the wallet's volume, a lower reputation, and a history with more defaults
    /// and fewer repayments (a thin file counts as middling, not as clean) all raise it.
    /// </summary>
    internal static double ObservableRisk(in GeneratedLoan loan)
    {
        var utilization = Math.Clamp(1.0 / Math.Max(loan.CollateralRatio, 1e-9), 0.0, 1.0);
        var ageRisk = BorrowerDraws.WalletAgeRiskOf(loan.WalletAgeDays);
        var velocityAnomaly = loan.TotalTransactions > 665 ? 1.0 : 0.0;
        var hiddenRisk = Math.Clamp((1.0 - (loan.ReputationScore / 100.0)) / 1.6, 0.0, 1.0);
        var burden = LoanBurden(loan.LoanAmount, loan.TotalVolumeUsd);
        var history = (loan.Defaults + 0.5) / (loan.SuccessfulRepayments + loan.Defaults + 1.0);
        return (0.25 * utilization) + (0.15 * ageRisk) + (0.10 * velocityAnomaly) + (0.35 * hiddenRisk) + (0.06 * burden) + (0.15 * history);
    }

    /// <summary>The loan against the wallet's monthly volume, scaled to [0, 1] over the range the recipe produces.</summary>
    internal static double LoanBurden(double loanAmount, double totalVolumeUsd)
    {
        var months = loanAmount / Math.Max(totalVolumeUsd / VolumeMonths, 0.01);
        return Math.Clamp((months - (0.5 / 1.2)) / ((3.0 / 0.8) - (0.5 / 1.2)), 0.0, 1.0);
    }

    /// <summary>
    /// A uniform draw on [0, 1] that follows the borrower's debt-to-income: the DTI's own quantile (Beta(2, 5)) mixed
    /// with fresh noise through a Gaussian copula, so the loan multiplier keeps the recipe's U(0.5, 3) distribution.
    /// </summary>
    private static double LoanQuantile(Random rng, double debtToIncomePercent)
    {
        var dti = Normal.InvCDF(0, 1, Math.Clamp(Beta.CDF(2.0, 5.0, debtToIncomePercent / 100.0), 1e-12, 1 - 1e-12));
        var mixed = (LoanToDebtCorrelation * dti) + (Math.Sqrt(1 - (LoanToDebtCorrelation * LoanToDebtCorrelation)) * Normal.Sample(rng, 0.0, 1.0));
        return Normal.CDF(0, 1, mixed);
    }

    internal static Random CreateRandom(long seed, long stream) => new Xoshiro256StarStar(DeriveSeed(seed, stream), threadSafe: false);

    private static void DeriveHistoryFromLatentRisk(Random rng, in BorrowerDraws draws, ref GeneratedLoan loan)
    {
        var pastDefaultRate = Math.Clamp(0.6 * draws.RiskScore, 0.0, 0.9);
        var resolved = loan.PreviousLoans == 0 ? 0 : loan.PreviousLoans - Binomial.Sample(rng, OpenLoanShare, loan.PreviousLoans);
        loan.Defaults = resolved == 0 ? 0 : Binomial.Sample(rng, pastDefaultRate, resolved);
        loan.SuccessfulRepayments = resolved - loan.Defaults;
        var reputation = (100.0 * (1.0 - (1.6 * draws.HiddenRisk))) + Normal.Sample(rng, 0.0, 4.0);
        loan.ReputationScore = (int)Math.Clamp(Math.Round(reputation), 0, 100);
    }

    // The original's flaw, kept on purpose: history and reputation follow the realised label.
    private static void DeriveHistoryFromLabel(Random rng, ref GeneratedLoan loan)
    {
        if (loan.Default)
        {
            loan.Defaults = 1 + Binomial.Sample(rng, 0.5, loan.PreviousLoans);
            loan.PreviousLoans += 1;
            loan.SuccessfulRepayments = loan.PreviousLoans - loan.Defaults;
            loan.ReputationScore = DiscreteUniform.Sample(rng, 10, 45);
        }
        else
        {
            loan.Defaults = 0;
            loan.SuccessfulRepayments = loan.PreviousLoans;
            loan.ReputationScore = DiscreteUniform.Sample(rng, 50, 100);
        }
    }

    private static int DrawTerm(Random rng)
    {
        var u = rng.NextDouble();
        return u < 0.2 ? 1 : u < 0.5 ? 3 : u < 0.8 ? 6 : 12;
    }

    private static LoanSynthesizer Calibrate(LabelMode mode, double defaultRate)
    {
        // Pilot rows come from a fixed seed, so the calibration depends only on (mode, rate), never on the user's seed.
        var rng = CreateRandom(PilotSeed, 0);
        var provisional = new LoanSynthesizer(mode, 0, 0, 1, double.PositiveInfinity);
        var scores = new double[PilotRows];
        for (var i = 0; i < PilotRows; i++)
        {
            if (mode == LabelMode.Probabilistic)
            {
                provisional.Next(rng, out var loan);
                scores[i] = ObservableRisk(loan);
            }
            else
            {
                scores[i] = BorrowerDraws.Sample(rng).RiskScore;
            }
        }

        if (mode == LabelMode.LynqOriginal)
        {
            Array.Sort(scores);
            var threshold = scores[(int)Math.Min(PilotRows - 1, Math.Round((1.0 - defaultRate) * PilotRows))];
            return new LoanSynthesizer(mode, 0, 0, 1, threshold);
        }

        var mean = scores.Average();
        var std = Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / PilotRows);
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = (scores[i] - mean) / std;
        }

        return new LoanSynthesizer(mode, SolveIntercept(scores, defaultRate), mean, std, double.PositiveInfinity);
    }

    /// <summary>Bisection on the intercept so the mean probability over the pilot equals the target rate.</summary>
    private static double SolveIntercept(double[] standardisedScores, double targetRate)
    {
        double low = -30, high = 30;
        for (var iteration = 0; iteration < 60; iteration++)
        {
            var mid = (low + high) / 2;
            double sum = 0;
            foreach (var z in standardisedScores)
            {
                sum += Sigmoid(mid + (Steepness * z));
            }

            if (sum / standardisedScores.Length < targetRate)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return (low + high) / 2;
    }

    private static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    private static double Cents(double value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    private static int DeriveSeed(long seed, long stream)
    {
        var x = SplitMix64(unchecked((ulong)seed) ^ SplitMix64(unchecked((ulong)stream + 0x632BE59BD9B4E019UL)));
        return unchecked((int)(x >> 32));
    }

    private static ulong SplitMix64(ulong x)
    {
        unchecked
        {
            x += 0x9E3779B97F4A7C15UL;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            return x ^ (x >> 31);
        }
    }
}

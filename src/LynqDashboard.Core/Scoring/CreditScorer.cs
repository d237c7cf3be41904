using System.Diagnostics;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Scoring;

/// <summary>
/// Turns a loan application into the LYNQ response: PD from the model (or the rule-based fallback when no
/// model is loaded), the policy's level, action, rate and cap, rule-based fraud and anomaly scores, and the
/// features that moved this applicant's PD most.
/// </summary>
/// <param name="policies">The active risk policy (default: <see cref="RiskPolicy.Default"/>, fixed).</param>
public sealed class CreditScorer(ActivePolicy? policies = null)
{
    private readonly ActivePolicy _policies = policies ?? new ActivePolicy();

    /// <summary>A scorer with one fixed policy (tests, the command line).</summary>
    public CreditScorer(RiskPolicy policy)
        : this(new ActivePolicy(policy))
    {
    }

    public const string FallbackVersion = "rule-based-fallback";

    /// <summary>How many top factors are returned at most.</summary>
    public const int MaxFactors = 5;

    /// <summary>The policy answers use now.</summary>
    public RiskPolicy Policy => _policies.Current;

    /// <summary>Scores one application. The caller validates it first (<see cref="LoanApplication.Validate"/>).</summary>
    /// <param name="application">The applicant.</param>
    /// <param name="model">The model to use; null answers from the rule-based fallback.</param>
    /// <param name="explain">Compute top factors (about 13 predictions instead of 1).</param>
    public CreditScoreResult Score(LoanApplication application, ScoringModel? model, bool explain = true)
    {
        ArgumentNullException.ThrowIfNull(application);
        var started = Stopwatch.GetTimestamp();
        Span<float> features = stackalloc float[LoanFeatures.Count];
        application.CopyFeaturesTo(features);

        var pd = Math.Clamp(model is null ? FallbackPd(application) : model.PredictPd(features), 0.0, 1.0);
        var factors = explain && model is not null ? TopFactors(model, features, pd) : [];
        var policy = Policy;
        var fraud = RiskSignals.FraudScore(application);
        var decision = policy.Decide(pd, application.LoanAmount, application.CollateralValueUsd, fraud);
        return new CreditScoreResult
        {
            CreditScore = CreditScoreFor(pd),
            FraudScore = fraud,
            AnomalyScore = RiskSignals.AnomalyScore(application),
            RiskLevel = decision.Band.Level,
            DefaultProbability = Math.Round(pd, 6),
            RecommendedAction = decision.Action,
            InterestRateSuggestion = policy.BaseRatePercent + decision.Band.RatePremium,
            MaxLoanAmount = decision.MaxLoanAmount,
            DecisionReason = decision.Reason,
            PolicyVersion = policy.Version,
            Warnings = application.Warnings(),
            ConfidenceScore = Math.Round(Math.Max(pd, 1 - pd), 4),
            TopFactors = factors,
            ModelVersion = model?.Version ?? FallbackVersion,
            ProcessingTimeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            IsFallback = model is null,
        };
    }

    /// <summary>(1 − pd) × 900 + 100, rounded: 100 for a sure default, 1000 for a sure repayment.</summary>
    public static int CreditScoreFor(double pd) => (int)Math.Round(((1 - Math.Clamp(pd, 0, 1)) * 900) + 100);

    /// <summary>
    /// A transparent rule of thumb for when no model is loaded: about 8 % for an average applicant, raised by
    /// past defaults, a low reputation, thin collateral and a young wallet.
    /// </summary>
    public static double FallbackPd(LoanApplication a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var logit = -2.4
            + (0.04 * (60 - a.ReputationScore))
            + (0.8 * Math.Min(a.Defaults, 5))
            - (1.5 * (Math.Min(a.CollateralRatio, 2.0) - 1.0))
            + (a.WalletAgeDays < 90 ? 0.7 : 0.0);
        return 1 / (1 + Math.Exp(-logit));
    }

    private static List<TopFactor> TopFactors(ScoringModel model, ReadOnlySpan<float> features, double pd)
    {
        Span<float> atBaseline = stackalloc float[LoanFeatures.Count];
        model.PredictEachAtBaseline(features, atBaseline);
        var factors = new List<TopFactor>(LoanFeatures.Count);
        foreach (var feature in LoanFeatures.All)
        {
            var contribution = pd - atBaseline[feature.Index];
            if (Math.Abs(contribution) >= 1e-6)
            {
                factors.Add(new TopFactor(feature.Name, contribution > 0 ? "negative" : "positive", features[feature.Index], Math.Round(contribution, 6)));
            }
        }

        factors.Sort((a, b) => Math.Abs(b.Contribution).CompareTo(Math.Abs(a.Contribution)));
        return factors.Count > MaxFactors ? factors[..MaxFactors] : factors;
    }
}

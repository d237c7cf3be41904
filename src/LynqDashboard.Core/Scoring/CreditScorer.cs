using System.Diagnostics;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Scoring;

/// <summary>
/// Turns a loan application into the LYNQ response: PD from the model (or the rule-based fallback when no
/// model is loaded), the policy's level, action, rate and cap, rule-based fraud and anomaly scores, the
/// features that moved this applicant's PD most, and for every answer but APPROVE the catalogue's reasons.
/// </summary>
/// <param name="policies">The active risk policy (default: <see cref="RiskPolicy.Default"/>, fixed).</param>
/// <param name="reasons">The reason catalogue (default: <see cref="ReasonCatalogue.Default"/>).</param>
public sealed class CreditScorer(ActivePolicy? policies = null, ReasonCatalogue? reasons = null)
{
    private readonly ActivePolicy _policies = policies ?? new ActivePolicy();

    /// <summary>A scorer with one fixed policy (tests, the command line).</summary>
    public CreditScorer(RiskPolicy policy, ReasonCatalogue? reasons = null)
        : this(new ActivePolicy(policy), reasons)
    {
    }

    public const string FallbackVersion = "rule-based-fallback";

    /// <summary>How many top factors are returned at most.</summary>
    public const int MaxFactors = 5;

    /// <summary>A contribution smaller than this (in PD, either sign) is noise: neither a top factor nor a reason.</summary>
    public const double ContributionFloor = 1e-6;

    /// <summary>
    /// The applicant the rule-based fallback is centred on, which its contributions are measured against: reputation 60,
    /// no defaults, collateral equal to the loan (ratio 1) and a wallet older than 90 days, where every term of
    /// <see cref="FallbackPd"/> is zero and the PD is the rule's average of about 8 %. The fallback reads nothing else, so
    /// the other fields (the example applicant's) never contribute.
    /// </summary>
    public static LoanApplication FallbackBaseline { get; } = LoanApplication.Example with
    {
        WalletAddress = null, ReputationScore = 60, Defaults = 0, CollateralValueUsd = LoanApplication.Example.LoanAmount, WalletAgeDays = 365,
    };

    private static readonly double[] FallbackBaselineValues = [.. LoanFeatures.All.Select(FallbackBaseline.Get)];

    /// <summary>The policy answers use now.</summary>
    public RiskPolicy Policy => _policies.Current;

    /// <summary>The catalogue reasons come from.</summary>
    public ReasonCatalogue Reasons { get; } = reasons ?? ReasonCatalogue.Default;

    /// <summary>Scores one application. The caller validates it first (<see cref="LoanApplication.Validate"/>).</summary>
    /// <param name="application">The applicant.</param>
    /// <param name="model">The model to use; null answers from the rule-based fallback.</param>
    /// <param name="explain">
    /// Compute top factors (one pass over the trees that also yields each feature's PD at its training mean: the PD minus it is the feature's contribution). An answer other than APPROVE computes the same
    /// contributions for its reasons either way; only an APPROVE answer without explain stays at one prediction.
    /// </param>
    public CreditScoreResult Score(LoanApplication application, ScoringModel? model, bool explain = true)
    {
        ArgumentNullException.ThrowIfNull(application);
        var started = Stopwatch.GetTimestamp();
        Span<float> features = stackalloc float[LoanFeatures.Count];
        application.CopyFeaturesTo(features);
        Span<double> values = stackalloc double[LoanFeatures.Count];
        if (model is null)
        {
            // The fallback reads the application's exact values; a model reads the float features (and so do its reasons).
            ValuesOf(application, values);
        }

        // With factors wanted, the model's PD comes from the same pass over the trees as each feature's PD at its mean.
        Span<float> atBaseline = stackalloc float[LoanFeatures.Count];
        var pd = Math.Clamp(
            model is null ? FallbackPd(values) : explain ? model.PredictEachAtBaseline(features, atBaseline) : model.PredictPd(features),
            0.0,
            1.0);
        var policy = Policy;
        var fraud = RiskSignals.FraudScore(application);
        var decision = policy.Decide(pd, application.LoanAmount, application.CollateralValueUsd, fraud);
        var declined = decision.Action != RecommendedAction.APPROVE;

        IReadOnlyList<TopFactor> factors = [];
        IReadOnlyList<ReasonCode> reasonCodes = [];
        Span<double> contributions = stackalloc double[LoanFeatures.Count];
        if (model is not null && (explain || declined))
        {
            if (!explain)
            {
                model.PredictEachAtBaseline(features, atBaseline);
            }

            for (var f = 0; f < LoanFeatures.Count; f++)
            {
                contributions[f] = pd - atBaseline[f]; // + means the value raised the risk
            }

            factors = explain ? TopFactors(features, contributions) : [];
            if (declined)
            {
                Span<double> baseline = stackalloc double[LoanFeatures.Count];
                for (var i = 0; i < baseline.Length; i++)
                {
                    (values[i], baseline[i]) = (features[i], model.Baseline[i]);
                }

                reasonCodes = Reasons.ReasonsFor(contributions, values, baseline);
            }
        }
        else if (model is null && declined)
        {
            FallbackContributions(values, pd, contributions);
            reasonCodes = Reasons.ReasonsFor(contributions, values, FallbackBaselineValues);
        }

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
            ReasonCodes = reasonCodes,
            ReasonCatalogueVersion = Reasons.Version,
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
        Span<double> values = stackalloc double[LoanFeatures.Count];
        ValuesOf(a, values);
        return FallbackPd(values);
    }

    private static void ValuesOf(LoanApplication application, Span<double> values)
    {
        foreach (var feature in LoanFeatures.All)
        {
            values[feature.Index] = application.Get(feature);
        }
    }

    // The rule over the 12 values in model order, so one feature can be set to the baseline as the model's contributions do.
    private static double FallbackPd(ReadOnlySpan<double> values)
    {
        var logit = -2.4
            + (0.04 * (60 - values[LoanFeatures.ReputationScore.Index]))
            + (0.8 * Math.Min(values[LoanFeatures.Defaults.Index], 5))
            - (1.5 * (Math.Min(values[LoanFeatures.CollateralRatio.Index], 2.0) - 1.0))
            + (values[LoanFeatures.WalletAgeDays.Index] < 90 ? 0.7 : 0.0);
        return 1 / (1 + Math.Exp(-logit));
    }

    private static void FallbackContributions(ReadOnlySpan<double> values, double pd, Span<double> contributions)
    {
        Span<double> probe = stackalloc double[LoanFeatures.Count];
        for (var f = 0; f < LoanFeatures.Count; f++)
        {
            values.CopyTo(probe);
            probe[f] = FallbackBaselineValues[f];
            contributions[f] = pd - FallbackPd(probe);
        }
    }

    private static List<TopFactor> TopFactors(ReadOnlySpan<float> features, ReadOnlySpan<double> contributions)
    {
        var factors = new List<TopFactor>(LoanFeatures.Count);
        foreach (var feature in LoanFeatures.All)
        {
            var contribution = contributions[feature.Index];
            if (Math.Abs(contribution) >= ContributionFloor)
            {
                factors.Add(new TopFactor(feature.Name, contribution > 0 ? "negative" : "positive", features[feature.Index], Math.Round(contribution, 6)));
            }
        }

        factors.Sort((a, b) => Math.Abs(b.Contribution).CompareTo(Math.Abs(a.Contribution)));
        return factors.Count > MaxFactors ? factors[..MaxFactors] : factors;
    }
}

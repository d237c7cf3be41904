using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Web.Model;

/// <summary>One feature's contribution to each version's PD; null on the side whose top factors do not name it.</summary>
/// <param name="Feature">The feature's snake_case name.</param>
/// <param name="A">Its contribution on the first version's answer, or null.</param>
/// <param name="B">Its contribution on the second version's answer, or null.</param>
public sealed record FactorPair(string Feature, TopFactor? A, TopFactor? B)
{
    /// <summary>B − A in PD points; null when one side does not list the feature.</summary>
    public double? Delta => A is null || B is null ? null : B.Contribution - A.Contribution;
}

/// <summary>
/// One applicant scored by two versions: the differences a reviewer decides on (PD, credit score, whether the action
/// changes) and the two top-factor lists aligned by feature.
/// </summary>
/// <param name="A">The first version's answer.</param>
/// <param name="B">The second version's answer.</param>
public sealed record ApplicantComparison(CreditScoreResult A, CreditScoreResult B)
{
    /// <summary>B's PD − A's PD (a fraction; + means B sees more risk).</summary>
    public double PdDelta => B.DefaultProbability - A.DefaultProbability;

    /// <summary>B's credit score − A's.</summary>
    public int CreditScoreDelta => B.CreditScore - A.CreditScore;

    public bool ActionDiffers => A.RecommendedAction != B.RecommendedAction;

    public bool RiskLevelDiffers => A.RiskLevel != B.RiskLevel;

    /// <summary>
    /// Every feature either answer lists, one row each, the largest contribution on either side first (ties in the
    /// model's feature order), so the same feature sits on the same row for both versions.
    /// </summary>
    public IReadOnlyList<FactorPair> Factors { get; } = Align(A, B);

    private static List<FactorPair> Align(CreditScoreResult a, CreditScoreResult b)
    {
        var left = a.TopFactors.ToDictionary(f => f.Feature, StringComparer.Ordinal);
        var right = b.TopFactors.ToDictionary(f => f.Feature, StringComparer.Ordinal);
        return [.. left.Keys.Union(right.Keys, StringComparer.Ordinal)
            .Select(name => new FactorPair(name, left.GetValueOrDefault(name), right.GetValueOrDefault(name)))
            .OrderByDescending(p => Math.Max(Math.Abs(p.A?.Contribution ?? 0), Math.Abs(p.B?.Contribution ?? 0)))
            .ThenBy(p => LoanFeatures.Find(p.Feature)?.Index ?? int.MaxValue)];
    }
}

using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Scoring;

/// <summary>The smallest change to one feature an applicant can make that turns the decision into APPROVE.</summary>
/// <param name="Feature">The feature to change.</param>
/// <param name="From">The applicant's value.</param>
/// <param name="To">The value that would be approved.</param>
/// <param name="DefaultProbability">The PD at that value.</param>
/// <param name="Lever">Which way the applicant moves it (ask for less, offer more).</param>
public sealed record ApprovalChange(string Feature, double From, double To, double DefaultProbability, FeatureLever Lever = FeatureLever.None);

/// <summary>
/// What-if for a declined applicant: only what the applicant can change (<see cref="FeatureSpec.Lever"/>: a smaller
/// loan, more collateral, a shorter term), each only in its helpful direction, in steps of growing size; the change
/// that reaches APPROVE with the smallest step relative to where the applicant stands wins. History, reputation and
/// the wallet are never moved: they are not the applicant's to change today.
/// </summary>
public static class ApprovalSearch
{
    private const int Steps = 40;

    /// <summary>The features a what-if may move.</summary>
    public static IReadOnlyList<FeatureSpec> Actionable { get; } = [.. LoanFeatures.Supplied.Where(f => f.Lever != FeatureLever.None)];

    public static ApprovalChange? SmallestChange(LoanApplication application, ScoringModel model, CreditScorer scorer)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(scorer);
        ApprovalChange? best = null;
        var bestDistance = double.MaxValue;
        foreach (var feature in Actionable)
        {
            foreach (var (value, distance) in Candidates(application, feature))
            {
                if (distance >= bestDistance)
                {
                    break;
                }

                var changed = application.With(feature, value);
                var result = scorer.Score(changed, model, explain: false);
                if (result.RecommendedAction == RecommendedAction.APPROVE)
                {
                    best = new ApprovalChange(feature.Name, application.Get(feature), changed.Get(feature), result.DefaultProbability, feature.Lever);
                    bestDistance = distance;
                    break;
                }
            }
        }

        return best;
    }

    // Values in the helpful direction only, nearest first, each with its distance as a share of the applicant's standing.
    private static IEnumerable<(double Value, double Distance)> Candidates(LoanApplication application, FeatureSpec feature)
    {
        var current = application.Get(feature);
        if (feature.Lever == FeatureLever.Lower)
        {
            if (feature.IsInteger)
            {
                for (var value = Math.Ceiling(current) - 1; value >= feature.Minimum; value--)
                {
                    yield return (value, (current - value) / current);
                }

                yield break;
            }

            for (var step = 1; step < Steps; step++)
            {
                var value = current * (1 - ((double)step / Steps));
                if (value >= feature.Minimum)
                {
                    yield return (value, (double)step / Steps);
                }
            }

            yield break;
        }

        // Raise: collateral grows in steps of the larger of what is pledged and what is asked, up to four times that.
        var scale = Math.Max(current, application.LoanAmount);
        for (var step = 1; step <= Steps; step++)
        {
            var value = current + (scale * step / 10.0);
            if (value <= feature.Maximum)
            {
                yield return (value, step / 10.0);
            }
        }
    }
}

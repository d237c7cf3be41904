using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Scoring;

/// <summary>The smallest change to one feature that turns a decision into APPROVE.</summary>
/// <param name="Feature">The feature to change.</param>
/// <param name="From">The applicant's value.</param>
/// <param name="To">The value that would be approved.</param>
/// <param name="DefaultProbability">The PD at that value.</param>
public sealed record ApprovalChange(string Feature, double From, double To, double DefaultProbability);

/// <summary>
/// What-if for a declined applicant: for each supplied feature, walk away from the applicant's value in
/// small steps within a plausible range (the spec's bounds, or up to four times the training average), and
/// keep the change that reaches APPROVE with the smallest step relative to that range.
/// </summary>
public static class ApprovalSearch
{
    private const int Steps = 40;

    public static ApprovalChange? SmallestChange(LoanApplication application, ScoringModel model, CreditScorer scorer)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(scorer);
        ApprovalChange? best = null;
        var bestDistance = double.MaxValue;
        foreach (var feature in LoanFeatures.Supplied)
        {
            var current = application.Get(feature);
            var (low, high) = Range(feature, model.Baseline[feature.Index], current);
            var width = high - low;
            if (width <= 0)
            {
                continue;
            }

            for (var step = 1; step <= Steps; step++)
            {
                var distance = (double)step / Steps;
                if (distance >= bestDistance)
                {
                    break;
                }

                foreach (var candidate in new[] { current + (width * distance), current - (width * distance) })
                {
                    if (candidate < low || candidate > high || feature.Check(feature.IsInteger ? Math.Round(candidate) : candidate) is not null)
                    {
                        continue;
                    }

                    var changed = application.With(feature, candidate);
                    var result = scorer.Score(changed, model, explain: false);
                    if (result.RecommendedAction == RecommendedAction.APPROVE)
                    {
                        best = new ApprovalChange(feature.Name, current, changed.Get(feature), result.DefaultProbability);
                        bestDistance = distance;
                        break;
                    }
                }
            }
        }

        return best;
    }

    private static (double Low, double High) Range(FeatureSpec feature, double baseline, double current)
    {
        var low = feature.Minimum;
        var high = feature.MaximumIsDomainBound ? feature.Maximum : Math.Min(feature.Maximum, Math.Max(Math.Max(baseline * 4, current * 2), low + 1));
        return (low, high);
    }
}

using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Web.Model;

/// <summary>
/// A version's test rows under one risk policy: what the version page's headline cards show.
/// </summary>
/// <param name="Policy">The policy replayed (the active one when the page loaded).</param>
/// <param name="Outcome">Approvals, bad rate among approved and expected loss under it.</param>
/// <param name="Confusion">Declined (PD ≥ the cutoff) against defaulted; a default is the positive class.</param>
/// <param name="RulesReplayed">True when the rows carry their features, so hard rules and loan caps were replayed too.</param>
public sealed record PolicyHeadline(RiskPolicy Policy, PolicyOutcome Outcome, ConfusionMatrix Confusion, bool RulesReplayed)
{
    /// <summary>The lowest PD the policy does not approve.</summary>
    public double Cutoff => Policy.DeclineCutoff;

    /// <summary>The accuracy of approving everyone (predicting no default): 1 − the book's default rate.</summary>
    public double ApproveEveryoneAccuracy => 1 - Outcome.ApproveEveryoneBadRate;

    /// <summary>"policy v2 calibrated-pd".</summary>
    public string PolicyLabel => $"policy v{Policy.Version} {Policy.Name}";

    /// <summary>What every headline card is computed at.</summary>
    public string Basis => $"at the policy's cutoff PD < {DisplayFormat.Percent(Cutoff)} ({PolicyLabel})";

    /// <summary>
    /// The policy's decline rule in words, from its bands: "approves PD below 10.0 %; manual review from 10.0 %; rejected
    /// from 20.0 %", plus its hard rules.
    /// </summary>
    public string DeclineRule
    {
        get
        {
            var parts = new List<string> { $"approves PD below {DisplayFormat.Percent(Cutoff)}" };
            var previous = (RecommendedAction?)null;
            for (var i = 0; i < Policy.Bands.Count; i++)
            {
                var band = Policy.Bands[i];
                var from = i == 0 ? 0 : Policy.Bands[i - 1].UpperPd;
                if (from < Cutoff || band.Action == previous)
                {
                    continue;
                }

                previous = band.Action;
                parts.Add($"{ActionWords(band.Action)} from {DisplayFormat.Percent(from)}");
            }

            var rules = new List<string>();
            if (Policy.MinCollateralRatio > 0)
            {
                rules.Add(FormattableString.Invariant($"collateral ratio below {Policy.MinCollateralRatio:0.00}"));
            }

            if (Policy.FraudReviewScore <= 1)
            {
                rules.Add(FormattableString.Invariant($"fraud score {Policy.FraudReviewScore:0.00} or more"));
            }

            var text = $"{PolicyLabel} {string.Join("; ", parts)}";
            return rules.Count == 0 ? $"{text}; no hard rules" : $"{text}; a {string.Join(" or a ", rules)} is at least a manual review";
        }
    }

    private static string ActionWords(RecommendedAction action) => action switch
    {
        RecommendedAction.MANUAL_REVIEW => "manual review",
        RecommendedAction.REJECT => "rejected",
        RecommendedAction.APPROVE_WITH_CONDITIONS => "approved with conditions",
        _ => "approved",
    };
}

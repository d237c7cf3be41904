using LynqDashboard.Core.Challengers;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Monitoring;

/// <summary>
/// Scores the shadow version for a batch of ledger rows, on the ledger's writer, after every answer in it was sent:
/// the shadow costs the request nothing and can fail no request. A row whose shadow cannot be scored is stored with
/// empty shadow columns and counted in <see cref="ActiveChallengers.ShadowFailures"/>.
/// </summary>
public sealed class ShadowScorer(CreditScorer scorer, ActiveChallengers challengers)
{
    /// <summary>Raised once per failed row, with the exception (a metric and a log line listen).</summary>
    public event Action<Exception>? Failed;

    public void Fill(IReadOnlyList<DecisionRecord> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var decision in batch)
        {
            if (decision.PendingShadow is not { } pending)
            {
                continue;
            }

            decision.PendingShadow = null;
            try
            {
                var answer = scorer.Score(pending.Application, pending.Shadow.Model, explain: false);
                decision.ShadowVersion = pending.Shadow.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
                decision.ShadowProbability = answer.DefaultProbability;
                decision.ShadowAction = answer.RecommendedAction.ToString();
                decision.ShadowReasonCodes = string.Join(',', answer.ReasonCodes.Select(r => r.Code));
            }
            catch (Exception e)
            {
                challengers.CountShadowFailure();
                Failed?.Invoke(e);
            }
        }
    }
}

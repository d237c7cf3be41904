using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Web.Model;

/// <summary>Recomputes the decision at any PD cutoff, or under a whole risk policy, from the stored test predictions.</summary>
public sealed class ThresholdExplorer
{
    private readonly TestPredictions _predictions;

    public ThresholdExplorer(TestPredictions predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        _predictions = predictions;
        TradeOff = new PolicyTradeOff(predictions);
    }

    /// <summary>Predictions without their features (PD cutoffs only; exposure counts one dollar a row).</summary>
    public ThresholdExplorer(float[] probabilities, bool[] labels)
        : this(new TestPredictions(probabilities, labels, null))
    {
    }

    public int Rows => _predictions.Count;

    /// <summary>The policy replay over the same rows.</summary>
    public PolicyTradeOff TradeOff { get; }

    /// <summary>A default is the positive class: a row with PD ≥ <paramref name="threshold"/> is predicted to default (declined).</summary>
    public ConfusionMatrix At(double threshold) => BinaryMetrics.ConfusionAt(_predictions.Probabilities, _predictions.Labels, threshold);

    /// <summary>
    /// The headline under <paramref name="policy"/>: the full policy (bands, caps, hard rules) when the rows carry their
    /// features, otherwise only its PD cutoff; the confusion matrix at the cutoff either way.
    /// </summary>
    public PolicyHeadline Under(RiskPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var cutoff = policy.DeclineCutoff;
        var outcome = TradeOff.HasFeatures ? TradeOff.Evaluate(policy) : TradeOff.AtCutoff(cutoff);
        return new PolicyHeadline(policy, outcome, At(cutoff), TradeOff.HasFeatures);
    }
}

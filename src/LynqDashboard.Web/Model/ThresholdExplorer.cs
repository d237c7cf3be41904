using LynqDashboard.Core.Evaluation;

namespace LynqDashboard.Web.Model;

/// <summary>Recomputes the decision at any threshold from the stored test predictions.</summary>
public sealed class ThresholdExplorer(float[] probabilities, bool[] labels)
{
    public int Rows => probabilities.Length;

    public ConfusionMatrix At(double threshold) => BinaryMetrics.ConfusionAt(probabilities, labels, threshold);
}

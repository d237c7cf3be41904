using LynqDashboard.Core.Features;
using Microsoft.ML.Data;

namespace LynqDashboard.Core.Training;

/// <summary>The ML.NET input row: the 12 features as one vector, the label and an example weight.</summary>
public sealed class ModelInput
{
    [VectorType(LoanFeatures.Count)]
    public float[] Features { get; set; } = new float[LoanFeatures.Count];

    public bool Label { get; set; }

    public float Weight { get; set; } = 1f;
}

/// <summary>The ML.NET output row. Probability is the calibrated PD (the last calibrator in the chain wins).</summary>
public sealed class ModelOutput
{
    public float Score { get; set; }

    public float Probability { get; set; }
}

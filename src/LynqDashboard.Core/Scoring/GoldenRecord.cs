using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Training;

namespace LynqDashboard.Core.Scoring;

/// <summary>
/// The promotion smoke test: the LYNQ example applicant's PD, recorded from the fitted model in memory when a
/// version is trained, must come back from the packaged model.zip before the version may reach production.
/// </summary>
public static class GoldenRecord
{
    /// <summary>Largest PD difference accepted: the two paths compute the same floats, so anything above rounding is a different model.</summary>
    public const double Tolerance = 1e-6;

    public static LoanApplication Application => LoanApplication.Example;

    /// <summary>The example's PD from the fitted chain in memory, through ML.NET (not the compiled path).</summary>
    public static double Expected(TrainedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var features = new float[LoanFeatures.Count];
        Application.CopyFeaturesTo(features);
        return ModelPredictions.ProbabilitiesWithMlNet(model.Context, model.Model, new LoanDataset(features, [false], null))[0];
    }

    /// <summary>The example's PD from a loaded model, the way the scoring service computes it.</summary>
    public static double Score(ScoringModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Span<float> features = stackalloc float[LoanFeatures.Count];
        Application.CopyFeaturesTo(features);
        return model.PredictPd(features);
    }
}

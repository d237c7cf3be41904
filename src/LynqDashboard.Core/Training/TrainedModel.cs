using LynqDashboard.Core.Evaluation;
using Microsoft.ML;

namespace LynqDashboard.Core.Training;

/// <summary>The outcome of a training run, still in memory: the fitted chain, its metrics and what the artifacts need.</summary>
public sealed class TrainedModel
{
    public required MLContext Context { get; init; }

    /// <summary>Normaliser → trees → calibrator fitted on the validation split.</summary>
    public required ITransformer Model { get; init; }

    public required DataViewSchema InputSchema { get; init; }

    public required TrainingParameters Parameters { get; init; }

    public required ValidationPack Metrics { get; init; }

    /// <summary>Calibrated PDs of the test rows, for the threshold slider.</summary>
    public required float[] TestProbabilities { get; init; }

    public required bool[] TestLabels { get; init; }

    /// <summary>The test rows' features, <see cref="Features.LoanFeatures.Count"/> per row in model order: a policy's trade-offs are replayed on them.</summary>
    public float[] TestFeatures { get; init; } = [];

    /// <summary>The trees compiled for fast prediction at evaluation; null when the trainer's model does not compile (ML.NET predicts).</summary>
    internal CompiledTreeModel? Compiled { get; init; }

    /// <summary>Per-feature training means (model order): the reference point for an applicant's top factors.</summary>
    public required double[] FeatureBaseline { get; init; }

    public required int TrainRows { get; init; }

    public required int ValidationRows { get; init; }

    public required int TestRows { get; init; }

    /// <summary>Weight given to each default in training (negatives / positives).</summary>
    public required double PositiveWeight { get; init; }

    /// <summary>Seconds spent per stage, by stage name.</summary>
    public required IReadOnlyDictionary<string, double> StageSeconds { get; init; }

    public required IReadOnlyList<string> Log { get; init; }
}

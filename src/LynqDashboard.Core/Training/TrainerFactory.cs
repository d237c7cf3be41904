using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace LynqDashboard.Core.Training;

/// <summary>Builds the chosen learner from <see cref="TrainingParameters"/>.</summary>
internal static class TrainerFactory
{
    public static IEstimator<ITransformer> Create(MLContext ml, TrainingParameters p) => p.Trainer switch
    {
        TrainerKind.FastTree => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            FeatureColumnName = nameof(ModelInput.Features),
            LabelColumnName = nameof(ModelInput.Label),
            ExampleWeightColumnName = nameof(ModelInput.Weight),
            NumberOfTrees = p.Trees,
            NumberOfLeaves = p.Leaves,
            LearningRate = p.LearningRate,
            MinimumExampleCountPerLeaf = p.MinExamplesPerLeaf,
            FeatureFraction = p.FeatureFraction,
            // A new row sample for every tree when subsampling; 0 turns bagging off.
            BaggingSize = p.Subsample < 1 ? 1 : 0,
            BaggingExampleFraction = p.Subsample,
            Seed = p.Seed,
        }),
        TrainerKind.LightGbm => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            FeatureColumnName = nameof(ModelInput.Features),
            LabelColumnName = nameof(ModelInput.Label),
            ExampleWeightColumnName = nameof(ModelInput.Weight),
            NumberOfIterations = p.Trees,
            NumberOfLeaves = p.Leaves,
            LearningRate = p.LearningRate,
            MinimumExampleCountPerLeaf = p.MinExamplesPerLeaf,
            // LightGBM is only repeatable single-threaded with an explicit seed.
            NumberOfThreads = 1,
            Seed = p.Seed,
            Booster = new GradientBooster.Options
            {
                SubsampleFraction = p.Subsample,
                SubsampleFrequency = p.Subsample < 1 ? 1 : 0,
                FeatureFraction = p.FeatureFraction,
            },
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(p), p.Trainer, "Unknown trainer."),
    };

    public static string ModelType(TrainerKind kind) => kind switch
    {
        TrainerKind.FastTree => "FastTreeBinaryClassifier",
        TrainerKind.LightGbm => "LightGbmBinaryClassifier",
        _ => kind.ToString(),
    };
}

using LynqDashboard.Core.Data;
using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Features;
using Microsoft.ML;

namespace LynqDashboard.Core.Training;

/// <summary>Permutation importance: how much test ROC-AUC drops when one feature's column is shuffled.</summary>
internal static class PermutationImportance
{
    /// <summary>
    /// Enough rows for a stable ranking (about 800 defaults at 8 %) while keeping importance under a second:
    /// each shuffle re-scores the whole sample.
    /// </summary>
    public const int MaxRows = 10_000;

    public const int Repeats = 2;

    public static IReadOnlyList<FeatureImportance> Compute(
        MLContext ml, ITransformer model, CompiledTreeModel? compiled, LoanDataset test, int seed, CancellationToken cancellationToken)
    {
        var sample = test.Count <= MaxRows ? test : test.Select([.. Enumerable.Range(0, MaxRows)]);
        if (sample.Defaults == 0 || sample.Defaults == sample.Count)
        {
            return [];
        }

        var baseline = BinaryMetrics.RocAuc(ModelPredictions.Probabilities(ml, model, sample, compiled), sample.Labels);
        var results = new FeatureImportance[LoanFeatures.Count];

        // Models are immutable (compiled arrays, or ML.NET transformers building their own views): features score in parallel.
        Parallel.ForEach(LoanFeatures.All, new ParallelOptions { CancellationToken = cancellationToken }, feature =>
        {
            var drops = new double[Repeats];
            var column = new float[sample.Count];
            for (var repeat = 0; repeat < Repeats; repeat++)
            {
                var features = (float[])sample.Features.Clone();
                for (var i = 0; i < sample.Count; i++)
                {
                    column[i] = features[(i * LoanFeatures.Count) + feature.Index];
                }

                new Random(HashCode.Combine(seed, feature.Index, repeat)).Shuffle(column);
                for (var i = 0; i < sample.Count; i++)
                {
                    features[(i * LoanFeatures.Count) + feature.Index] = column[i];
                }

                var shuffled = new LoanDataset(features, sample.Labels, null);
                drops[repeat] = baseline - BinaryMetrics.RocAuc(ModelPredictions.Probabilities(ml, model, shuffled, compiled), sample.Labels);
            }

            var mean = drops.Average();
            var std = Math.Sqrt(drops.Sum(d => (d - mean) * (d - mean)) / drops.Length);
            results[feature.Index] = new FeatureImportance(feature.Name, mean, std);
        });

        return [.. results.OrderByDescending(r => r.Importance)];
    }
}

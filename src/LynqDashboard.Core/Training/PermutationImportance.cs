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

        // With compiled trees a shuffle only walks the trees that split on the shuffled feature again; the others'
        // outputs are kept from one pass (PDs within the compiled chain's tolerance). Models are immutable: features
        // score in parallel.
        var treeOutputs = compiled?.Outputs(sample);
        Parallel.ForEach(LoanFeatures.All, new ParallelOptions { CancellationToken = cancellationToken }, feature =>
        {
            var drops = new double[Repeats];
            var column = new float[sample.Count];
            for (var repeat = 0; repeat < Repeats; repeat++)
            {
                for (var i = 0; i < sample.Count; i++)
                {
                    column[i] = sample.Features[(i * LoanFeatures.Count) + feature.Index];
                }

                // Not HashCode.Combine: it is seeded per process, so the same seed gave other importances on every run.
                new Random(unchecked((seed * 1_000_003) + (feature.Index * 101) + repeat)).Shuffle(column);
                drops[repeat] = baseline - BinaryMetrics.RocAuc(Shuffled(feature.Index, column), sample.Labels);
            }

            var mean = drops.Average();
            var std = Math.Sqrt(drops.Sum(d => (d - mean) * (d - mean)) / drops.Length);
            results[feature.Index] = new FeatureImportance(feature.Name, mean, std);
        });

        return [.. results.OrderByDescending(r => r.Importance)];

        float[] Shuffled(int feature, float[] column)
        {
            if (compiled is not null)
            {
                return compiled.PredictWithColumn(sample, treeOutputs!, feature, column);
            }

            var features = (float[])sample.Features.Clone();
            for (var i = 0; i < sample.Count; i++)
            {
                features[(i * LoanFeatures.Count) + feature] = column[i];
            }

            return ModelPredictions.ProbabilitiesWithMlNet(ml, model, new LoanDataset(features, sample.Labels, null));
        }
    }
}

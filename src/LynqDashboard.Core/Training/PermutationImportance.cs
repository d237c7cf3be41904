using LynqDashboard.Core.Data;
using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Features;
using Microsoft.ML;

namespace LynqDashboard.Core.Training;

/// <summary>Permutation importance: how much test ROC-AUC drops when one feature's column is shuffled.</summary>
internal static class PermutationImportance
{
    /// <summary>Enough rows for a stable ranking without making importance the slowest step on big data.</summary>
    public const int MaxRows = 20_000;

    public const int Repeats = 3;

    public static IReadOnlyList<FeatureImportance> Compute(MLContext ml, ITransformer model, LoanDataset test, int seed, CancellationToken cancellationToken)
    {
        var sample = test.Count <= MaxRows ? test : test.Select([.. Enumerable.Range(0, MaxRows)]);
        if (sample.Defaults == 0 || sample.Defaults == sample.Count)
        {
            return [];
        }

        var baseline = BinaryMetrics.RocAuc(ModelPredictions.Probabilities(ml, model, sample), sample.Labels);
        var results = new List<FeatureImportance>(LoanFeatures.Count);
        var column = new float[sample.Count];
        foreach (var feature in LoanFeatures.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var drops = new double[Repeats];
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
                drops[repeat] = baseline - BinaryMetrics.RocAuc(ModelPredictions.Probabilities(ml, model, shuffled), sample.Labels);
            }

            var mean = drops.Average();
            var std = Math.Sqrt(drops.Sum(d => (d - mean) * (d - mean)) / drops.Length);
            results.Add(new FeatureImportance(feature.Name, mean, std));
        }

        return [.. results.OrderByDescending(r => r.Importance)];
    }
}

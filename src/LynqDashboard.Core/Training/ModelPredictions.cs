using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LynqDashboard.Core.Training;

/// <summary>Turns datasets into ML.NET rows and models into bulk predictions.</summary>
internal static class ModelPredictions
{
    public static IEnumerable<ModelInput> ToInputs(LoanDataset data, double positiveWeight = 1.0)
    {
        for (var i = 0; i < data.Count; i++)
        {
            yield return new ModelInput
            {
                Features = data.Row(i).ToArray(),
                Label = data.Labels[i],
                Weight = data.Labels[i] ? (float)positiveWeight : 1f,
            };
        }
    }

    public static IDataView ToDataView(MLContext ml, LoanDataset data, double positiveWeight = 1.0) =>
        ml.Data.LoadFromEnumerable(ToInputs(data, positiveWeight));

    /// <summary>Calibrated PDs for every row of <paramref name="data"/>, in order: compiled when possible, ML.NET otherwise.</summary>
    public static float[] Probabilities(MLContext ml, ITransformer model, LoanDataset data, CompiledTreeModel? compiled = null) =>
        compiled?.Predict(data) ?? ProbabilitiesWithMlNet(ml, model, data);

    public static float[] ProbabilitiesWithMlNet(MLContext ml, ITransformer model, LoanDataset data) =>
        [.. model.Transform(ToDataView(ml, data)).GetColumn<float>(nameof(ModelOutput.Probability))];

    /// <summary>Mean of each feature over <paramref name="data"/>, in model order.</summary>
    public static double[] FeatureMeans(LoanDataset data)
    {
        var sums = new double[LoanFeatures.Count];
        for (var i = 0; i < data.Count; i++)
        {
            var row = data.Row(i);
            for (var f = 0; f < LoanFeatures.Count; f++)
            {
                sums[f] += row[f];
            }
        }

        return [.. sums.Select(s => data.Count == 0 ? 0 : s / data.Count)];
    }

    /// <summary>
    /// Rows spread around <paramref name="baseline"/> (0 to 3 times each mean, whole numbers where the feature is
    /// integral): what a compiled model must reproduce before it is trusted.
    /// </summary>
    public static LoanDataset ProbeRows(IReadOnlyList<double> baseline, int rows = 64)
    {
        var rng = new Random(20_24);
        var features = new float[rows * LoanFeatures.Count];
        for (var i = 0; i < rows; i++)
        {
            foreach (var spec in LoanFeatures.All)
            {
                var value = baseline[spec.Index] * rng.NextDouble() * 3;
                features[(i * LoanFeatures.Count) + spec.Index] = (float)(spec.IsInteger ? Math.Round(value) : value);
            }
        }

        return new LoanDataset(features, new bool[rows], null);
    }
}

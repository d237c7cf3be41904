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

    /// <summary>Calibrated PDs for every row of <paramref name="data"/>, in order.</summary>
    public static float[] Probabilities(MLContext ml, ITransformer model, LoanDataset data) =>
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
}

using LynqDashboard.Core.Training;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Evaluation;

namespace LynqDashboard.Core.Workflows;

/// <summary>Evaluates a saved model on any dataset with the full validation pack.</summary>
public static class ModelEvaluator
{
    public static ValidationPack Evaluate(LoadedModel model, LoanDataset data, double threshold, int seed = 42, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Defaults == 0 || data.Defaults == data.Count)
        {
            throw LynqException.Invalid("data", $"Evaluation needs both defaults and non-defaults; the dataset has {data.Defaults:N0} defaults in {data.Count:N0} rows.");
        }

        var compiled = CompiledTreeModel.TryCompile(model.Context, model.Model, data.Select([.. Enumerable.Range(0, Math.Min(data.Count, 256))]));
        var probabilities = ModelPredictions.Probabilities(model.Context, model.Model, data, compiled);
        var importance = PermutationImportance.Compute(model.Context, model.Model, compiled, data, seed, cancellationToken);
        return ValidationPack.Compute(probabilities, data.Labels, data.TruePd ?? [], data.Features, threshold, importance);
    }
}

using LynqDashboard.Core.Training;

namespace LynqDashboard.Web.Model;

/// <summary>The train form's values; validation is the trainer's own, mapped to form fields.</summary>
public sealed class TrainForm
{
    private static readonly TrainingParameters Defaults = new();

    public Guid? DatasetId { get; set; }

    public TrainerKind Trainer { get; set; } = Defaults.Trainer;

    public int Trees { get; set; } = Defaults.Trees;

    public int Leaves { get; set; } = Defaults.Leaves;

    public double LearningRate { get; set; } = Defaults.LearningRate;

    public int MinExamplesPerLeaf { get; set; } = Defaults.MinExamplesPerLeaf;

    public double Subsample { get; set; } = Defaults.Subsample;

    public double Threshold { get; set; } = Defaults.Threshold;

    public TrainingParameters ToParameters() =>
        new(Trainer, Trees, Leaves, LearningRate, MinExamplesPerLeaf, Subsample, Defaults.FeatureFraction, Threshold, Defaults.Seed);

    /// <summary>The message for one field if it held <paramref name="value"/>, or null: a field's inline rule.</summary>
    public string? ErrorFor(string field, double value)
    {
        var candidate = (TrainForm)MemberwiseClone();
        switch (field)
        {
            case nameof(Trees): candidate.Trees = (int)value; break;
            case nameof(Leaves): candidate.Leaves = (int)value; break;
            case nameof(LearningRate): candidate.LearningRate = value; break;
            case nameof(MinExamplesPerLeaf): candidate.MinExamplesPerLeaf = (int)value; break;
            case nameof(Subsample): candidate.Subsample = value; break;
            case nameof(Threshold): candidate.Threshold = value; break;
        }

        return candidate.Validate(requireDataset: false).GetValueOrDefault(field);
    }

    /// <summary>Errors by form field; empty when valid.</summary>
    public IReadOnlyDictionary<string, string> Validate(bool requireDataset = true)
    {
        var fields = new Dictionary<string, string>
        {
            ["trees"] = nameof(Trees),
            ["leaves"] = nameof(Leaves),
            ["learning_rate"] = nameof(LearningRate),
            ["min_examples_per_leaf"] = nameof(MinExamplesPerLeaf),
            ["subsample"] = nameof(Subsample),
            ["threshold"] = nameof(Threshold),
        };
        var errors = ToParameters().Validate().ToDictionary(
            e => fields.GetValueOrDefault(e.Parameter, e.Parameter),
            e => $"{char.ToUpperInvariant(e.Parameter[0])}{e.Parameter[1..].Replace('_', ' ')} {e.Message}.");
        if (requireDataset && DatasetId is null)
        {
            errors[nameof(DatasetId)] = "Choose a dataset to train on.";
        }

        return errors;
    }

    public void Reset() => (Trainer, Trees, Leaves, LearningRate, MinExamplesPerLeaf, Subsample, Threshold) =
        (Defaults.Trainer, Defaults.Trees, Defaults.Leaves, Defaults.LearningRate, Defaults.MinExamplesPerLeaf, Defaults.Subsample, Defaults.Threshold);
}

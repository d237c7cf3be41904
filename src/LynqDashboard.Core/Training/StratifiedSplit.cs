using LynqDashboard.Core.Data;

namespace LynqDashboard.Core.Training;

/// <summary>Row indexes of a seeded split that keeps the default rate equal in every part.</summary>
public sealed record StratifiedSplit(int[] Train, int[] Validation, int[] Test)
{
    public static StratifiedSplit Create(IReadOnlyList<bool> labels, double trainShare, double validationShare, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var rng = new Random(seed);
        var positives = new List<int>();
        var negatives = new List<int>();
        for (var i = 0; i < labels.Count; i++)
        {
            (labels[i] ? positives : negatives).Add(i);
        }

        List<int> train = [], validation = [], test = [];
        foreach (var group in new[] { positives, negatives })
        {
            var shuffled = group.ToArray();
            rng.Shuffle(shuffled);
            var trainCount = (int)Math.Round(shuffled.Length * trainShare);
            var validationCount = (int)Math.Round(shuffled.Length * validationShare);
            train.AddRange(shuffled[..trainCount]);
            validation.AddRange(shuffled[trainCount..(trainCount + validationCount)]);
            test.AddRange(shuffled[(trainCount + validationCount)..]);
        }

        // Interleave the classes again so no consumer sees all defaults first.
        var result = new StratifiedSplit([.. train], [.. validation], [.. test]);
        rng.Shuffle(result.Train);
        rng.Shuffle(result.Validation);
        rng.Shuffle(result.Test);
        return result;
    }

    public static StratifiedSplit Create(LoanDataset data, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Create(data.Labels, TrainingParameters.TrainShare, TrainingParameters.ValidationShare, seed);
    }
}

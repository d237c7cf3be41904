using LynqDashboard.Core.Training;

namespace LynqDashboard.Core.Tests.Training;

public sealed class StratifiedSplitTests
{
    private static readonly bool[] Labels = [.. Enumerable.Range(0, 10_000).Select(i => i % 12 == 0)];

    [Fact]
    public void Create_KeepsTheDefaultRateInEveryPart()
    {
        var split = StratifiedSplit.Create(Labels, 0.7, 0.15, 1);
        var overall = Labels.Average(l => l ? 1.0 : 0);
        foreach (var part in new[] { split.Train, split.Validation, split.Test })
        {
            Assert.InRange(part.Average(i => Labels[i] ? 1.0 : 0), overall - 0.005, overall + 0.005);
        }

        Assert.InRange(split.Train.Length, 6_990, 7_010);
        Assert.InRange(split.Validation.Length, 1_490, 1_510);
    }

    [Fact]
    public void Create_PartsAreDisjointAndCoverEveryRow()
    {
        var split = StratifiedSplit.Create(Labels, 0.7, 0.15, 1);
        var all = split.Train.Concat(split.Validation).Concat(split.Test).ToList();
        Assert.Equal(Labels.Length, all.Count);
        Assert.Equal(Labels.Length, all.Distinct().Count());
    }

    [Fact]
    public void Create_SameSeed_SameSplit_OtherSeed_OtherSplit()
    {
        Assert.Equal(StratifiedSplit.Create(Labels, 0.7, 0.15, 9).Test, StratifiedSplit.Create(Labels, 0.7, 0.15, 9).Test);
        Assert.NotEqual(StratifiedSplit.Create(Labels, 0.7, 0.15, 9).Test, StratifiedSplit.Create(Labels, 0.7, 0.15, 10).Test);
    }
}

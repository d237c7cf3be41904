using LynqDashboard.Core.Evaluation;

namespace LynqDashboard.Core.Tests.Evaluation;

/// <summary>
/// The groups every ranking metric walks, and the AUC and KS read from them. Expectations are worked out by hand or
/// counted pair by pair, never by the cumulative walk the code uses.
/// </summary>
public sealed class RankedScoresTests
{
    // Worked by hand: defaults score 0.9 and 0.8; non-defaults 0.8 (a tie with a default), 0.3 and 0.1.
    private static readonly float[] TinyScores = [0.3f, 0.9f, 0.8f, 0.1f, 0.8f];
    private static readonly bool[] TinyLabels = [false, true, true, false, false];

    [Fact]
    public void Create_TinyExample_GroupsEqualScoresHighestFirst()
    {
        var ranked = RankedScores.Create(TinyScores, TinyLabels);

        Assert.Equal([0.9f, 0.8f, 0.3f, 0.1f], ranked.Thresholds.Select(t => (float)t));
        Assert.Equal([1L, 2, 2, 2], ranked.PositivesAtOrAbove);
        Assert.Equal([0L, 1, 2, 3], ranked.NegativesAtOrAbove);
        Assert.Equal(2, ranked.Positives);
        Assert.Equal(3, ranked.Negatives);
    }

    [Fact]
    public void RocAuc_TinyExample_CountsTheTieAsHalf()
    {
        // 6 default/non-default pairs: 0.9 outranks all 3 (3), 0.8 outranks 0.3 and 0.1 and ties 0.8 (2.5): 5.5 / 6.
        Assert.Equal(5.5 / 6, BinaryMetrics.RocAuc(TinyScores, TinyLabels), 12);
    }

    [Fact]
    public void KolmogorovSmirnov_TinyExample_IsTheLargestRateGap()
    {
        // At 0.8 both defaults are caught (TPR 1) and one non-default of three (FPR 1/3): the widest gap.
        Assert.Equal(2.0 / 3, BinaryMetrics.KolmogorovSmirnov(TinyScores, TinyLabels), 12);
    }

    [Theory]
    [InlineData(new[] { false, false, true, true }, 1.0, 1.0)]
    [InlineData(new[] { true, true, false, false }, 0.0, 1.0)]
    [InlineData(new[] { false, true, false, true }, 0.75, 0.5)]
    public void RocAucAndKs_KnownOrderings(bool[] labelsByAscendingScore, double auc, double ks)
    {
        float[] scores = [0.1f, 0.2f, 0.3f, 0.4f];

        Assert.Equal(auc, BinaryMetrics.RocAuc(scores, labelsByAscendingScore), 12);
        Assert.Equal(ks, BinaryMetrics.KolmogorovSmirnov(scores, labelsByAscendingScore), 12);
    }

    [Fact]
    public void AllEqualScores_OneGroup_AucOneHalfAndNoSeparation()
    {
        float[] scores = [0.4f, 0.4f, 0.4f, 0.4f, 0.4f];
        bool[] labels = [true, false, false, true, false];

        var ranked = RankedScores.Create(scores, labels);

        Assert.Equal([0.4f], ranked.Thresholds.Select(t => (float)t));
        Assert.Equal([2L], ranked.PositivesAtOrAbove);
        Assert.Equal([3L], ranked.NegativesAtOrAbove);
        Assert.Equal(0.5, BinaryMetrics.RocAuc(scores, labels), 12);
        Assert.Equal(0.0, BinaryMetrics.KolmogorovSmirnov(scores, labels), 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ManyTies_AucAndKs_MatchAPairByPairCount(int seed)
    {
        // Scores on a coarse grid, so most of them tie, against a second method that looks at every pair.
        var random = new Random(seed);
        var scores = Enumerable.Range(0, 400).Select(_ => (float)(random.Next(0, 8) / 8.0)).ToArray();
        var labels = scores.Select(s => random.NextDouble() < 0.2 + (0.6 * s)).ToArray();

        var ranked = RankedScores.Create(scores, labels);

        Assert.Equal(PairwiseAuc(scores, labels), BinaryMetrics.RocAuc(scores, labels), 12);
        Assert.Equal(DirectKs(scores, labels), BinaryMetrics.KolmogorovSmirnov(scores, labels), 12);
        Assert.True(ranked.Thresholds.Zip(ranked.Thresholds.Skip(1)).All(p => p.First > p.Second), "thresholds are not strictly descending");
        Assert.Equal(scores.Distinct().Count(), ranked.Thresholds.Length);
        Assert.Equal(labels.Count(l => l), ranked.PositivesAtOrAbove[^1]);
        Assert.Equal(labels.Count(l => !l), ranked.NegativesAtOrAbove[^1]);
    }

    [Fact]
    public void RocAuc_RaisingADefaultsScore_NeverLowersIt()
    {
        float[] scores = [0.2f, 0.5f, 0.3f, 0.7f, 0.1f, 0.6f];
        bool[] labels = [true, false, false, true, false, true];
        var before = BinaryMetrics.RocAuc(scores, labels);

        scores[0] = 0.55f; // the default at 0.2 now outranks the non-defaults at 0.3 and 0.5

        Assert.Equal(before + (2.0 / 9), BinaryMetrics.RocAuc(scores, labels), 12);
    }

    [Fact]
    public void Create_ScoresAndLabelsOfDifferentLengths_NamesBothCounts()
    {
        var error = Assert.Throws<ArgumentException>(() => RankedScores.Create([0.1f, 0.2f, 0.3f], [true, false]));
        Assert.Contains("3 scores but 2 labels", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { true, true, true })]
    [InlineData(new[] { false, false, false })]
    [InlineData(new bool[0])]
    public void Create_OnlyOneClass_IsRefused(bool[] labels)
    {
        var scores = new float[labels.Length];

        var error = Assert.Throws<ArgumentException>(() => RankedScores.Create(scores, labels));
        Assert.Contains("need both defaults and non-defaults", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Create_ANonFiniteScore_IsRefused(float bad)
    {
        var error = Assert.Throws<ArgumentException>(() => RankedScores.Create([0.1f, bad, 0.3f], [true, false, true]));
        Assert.Contains("NaN or infinite", error.Message, StringComparison.Ordinal);
    }

    // Mann–Whitney by definition: over every (default, non-default) pair, 1 when the default scores higher, ½ for a tie.
    private static double PairwiseAuc(float[] scores, bool[] labels)
    {
        double wins = 0;
        long pairs = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            for (var j = 0; j < scores.Length; j++)
            {
                if (labels[i] && !labels[j])
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }

        return wins / pairs;
    }

    // The gap between the share of defaults and of non-defaults at or above each score, counted afresh per score.
    private static double DirectKs(float[] scores, bool[] labels)
    {
        var positives = labels.Count(l => l);
        var negatives = labels.Length - positives;
        return scores.Distinct().Max(t =>
            Math.Abs(((double)scores.Where((s, i) => labels[i] && s >= t).Count() / positives) - ((double)scores.Where((s, i) => !labels[i] && s >= t).Count() / negatives)));
    }
}

using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Tests.Evaluation;

/// <summary>A feature that separates the classes on its own is flagged, whichever way it points; honest ones are not.</summary>
public sealed class LeakageCheckTests
{
    [Fact]
    public void SingleFeatureAucs_ReputationCopiedFromTheLabel_IsFlaggedAsLowerIsRiskier()
    {
        // The original generator's flaw: reputation 10 for every default, 90 for every repayment.
        var random = new Random(7);
        var labels = Enumerable.Range(0, 1_000).Select(_ => random.NextDouble() < 0.1).ToArray();
        var rows = Rows(labels, (feature, i) => feature == LoanFeatures.ReputationScore ? (labels[i] ? 10 : 90) : (float)random.NextDouble());

        var result = ByName(LeakageCheck.SingleFeatureAucs(rows, labels));

        var leaky = result[LoanFeatures.ReputationScore.Name];
        Assert.True(leaky.SuspectedLeakage);
        Assert.Equal(1.0, leaky.Auc, 12);
        Assert.Equal(LeakageCheck.LowerIsRiskier, leaky.Direction);
        Assert.Equal([LoanFeatures.ReputationScore.Name], result.Values.Where(f => f.SuspectedLeakage).Select(f => f.Feature));
    }

    [Fact]
    public void SingleFeatureAucs_HonestSignalAndNoise_AreNotFlagged()
    {
        // Past defaults rise with the risk but overlap a lot between the classes; every other column is noise.
        var random = new Random(11);
        var labels = Enumerable.Range(0, 2_000).Select(_ => random.NextDouble() < 0.2).ToArray();
        var rows = Rows(labels, (feature, i) => feature == LoanFeatures.Defaults
            ? random.Next(0, 3) + (labels[i] ? 1 : 0)
            : (float)random.NextDouble());

        var result = ByName(LeakageCheck.SingleFeatureAucs(rows, labels));

        Assert.DoesNotContain(result.Values, f => f.SuspectedLeakage);
        var defaults = result[LoanFeatures.Defaults.Name];
        Assert.Equal(LeakageCheck.HigherIsRiskier, defaults.Direction);
        Assert.InRange(defaults.Auc, 0.7, 0.9);
        Assert.All(result.Values.Where(f => f.Feature != LoanFeatures.Defaults.Name), f => Assert.InRange(f.Auc, 0.5, 0.6));
    }

    [Fact]
    public void SingleFeatureAucs_AnswersEveryFeatureInModelOrder()
    {
        bool[] labels = [true, false, true, false];

        var result = LeakageCheck.SingleFeatureAucs(Rows(labels, (_, _) => 0), labels);

        Assert.Equal(LoanFeatures.All.Select(f => f.Name), result.Select(f => f.Feature));
        Assert.All(result, f => Assert.Equal(0.5, f.Auc));
    }

    [Theory]
    [InlineData(98, true, LeakageCheck.HigherIsRiskier)]  // exactly at the threshold: flagged
    [InlineData(97, false, LeakageCheck.HigherIsRiskier)] // one pair short of it: not
    [InlineData(2, true, LeakageCheck.LowerIsRiskier)]    // the mirror image, reversed: flagged
    [InlineData(3, false, LeakageCheck.LowerIsRiskier)]
    public void SingleFeatureAucs_AtTheThresholdEdge(int pairsWonOfAHundred, bool flagged, string direction)
    {
        // 10 defaults and 10 non-defaults: 100 pairs, so the AUC is exactly pairsWon / 100.
        var (column, labels) = ColumnWinning(pairsWonOfAHundred);
        var rows = Rows(labels, (feature, i) => feature == LoanFeatures.TotalVolumeUsd ? column[i] : 0);

        var volume = ByName(LeakageCheck.SingleFeatureAucs(rows, labels))[LoanFeatures.TotalVolumeUsd.Name];

        Assert.Equal(Math.Max(pairsWonOfAHundred, 100 - pairsWonOfAHundred) / 100.0, volume.Auc, 12);
        Assert.Equal(flagged, volume.SuspectedLeakage);
        Assert.Equal(direction, volume.Direction);
    }

    [Fact]
    public void SingleFeatureAucs_ValuesThatDoNotFillTwelvePerRow_NameTheCounts()
    {
        var error = Assert.Throws<ArgumentException>(() => LeakageCheck.SingleFeatureAucs(new float[23], [true, false]));
        Assert.Contains("Expected 24 feature values for 2 rows, got 23", error.Message, StringComparison.Ordinal);
    }

    // Non-defaults score 1..10. A default scoring 100 wins all 10 pairs; one scoring k + 0.5 wins k. Spread the wins
    // over the 10 defaults, so exactly `wins` of the 100 pairs go to the defaults.
    private static (float[] Column, bool[] Labels) ColumnWinning(int wins)
    {
        var column = new List<float>();
        var labels = new List<bool>();
        for (var i = 1; i <= 10; i++)
        {
            column.Add(i);
            labels.Add(false);
        }

        for (var i = 0; i < 10; i++)
        {
            var share = Math.Clamp(wins - (10 * i), 0, 10);
            column.Add(share == 10 ? 100 : share + 0.5f);
            labels.Add(true);
        }

        return ([.. column], [.. labels]);
    }

    private static float[] Rows(bool[] labels, Func<FeatureSpec, int, float> value)
    {
        var rows = new float[labels.Length * LoanFeatures.Count];
        for (var i = 0; i < labels.Length; i++)
        {
            foreach (var feature in LoanFeatures.All)
            {
                rows[(i * LoanFeatures.Count) + feature.Index] = value(feature, i);
            }
        }

        return rows;
    }

    private static Dictionary<string, FeatureAuc> ByName(IReadOnlyList<FeatureAuc> aucs) => aucs.ToDictionary(f => f.Feature);
}

using LynqDashboard.Core.Challengers;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Tests.Challengers;

/// <summary>A wallet always meets the same arm, and the arms' shares match the split within sampling error.</summary>
public sealed class WalletSplitTests
{
    [Theory]
    [InlineData("0xAbC123", "0xabc123")]
    [InlineData("  0xabc123 ", "0xABC123")]
    public void BucketOf_TheSameWalletWrittenDifferently_IsTheSameBucket(string one, string other) =>
        Assert.Equal(WalletSplit.BucketOf(one), WalletSplit.BucketOf(other));

    [Fact]
    public void BucketOf_IsFixed_NotThisProcesssStringHash()
    {
        // FNV-1a 64 of "0xabc123" mod 10,000, worked out once: a changed hash would move wallets between arms mid-experiment.
        var hash = 14695981039346656037UL;
        foreach (var b in "0xabc123"u8)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        Assert.Equal((int)(hash % 10_000), WalletSplit.BucketOf("0xABC123"));
        Assert.Null(WalletSplit.BucketOf("  "));
        Assert.False(WalletSplit.IsChallenger(null, 50));
    }

    [Fact]
    public void Split_TwentyThousandSimulatedApplications_ChallengerShareIsTenPercentWithinThreeStandardErrors_AndStable()
    {
        var applications = new TrafficSimulator(20_000, seed: 17).Applications().Select(a => a.Application).ToList();
        var split = new ChallengerModels(null, new SplitModel(null!, 2, 10));
        var serving = new ServingModel(null, "local", "production", 1, DateTimeOffset.UnixEpoch);

        var arms = applications.Select(a => ChallengerRouting.For(a, serving, split)).ToList();
        var share = arms.Count(r => r.Arm == ExperimentArms.Challenger) / (double)arms.Count;

        var standardError = Math.Sqrt(0.1 * 0.9 / arms.Count);
        Assert.InRange(share, 0.1 - (3 * standardError), 0.1 + (3 * standardError));
        Assert.All(arms.Where(r => r.Arm == ExperimentArms.Challenger), r => Assert.Equal(2, r.Number));
        Assert.All(arms.Where(r => r.Arm == ExperimentArms.Champion), r => Assert.Equal(1, r.Number));
        Assert.Equal(arms.Select(r => r.Arm), applications.Select(a => ChallengerRouting.For(a, serving, split).Arm));
    }

    [Fact]
    public void For_WithoutASplit_ProductionAnswersWithNoArm()
    {
        var serving = new ServingModel(null, "local", "production", 4, DateTimeOffset.UnixEpoch);

        Assert.Equal(new ScoringRoute(null, 4, null), ChallengerRouting.For(Features.LoanApplication.Example, serving, ChallengerModels.None));
    }

    [Theory]
    [InlineData(10, null)]
    [InlineData(0.1, null)]
    [InlineData(50, null)]
    [InlineData(12.5, null)]
    [InlineData(0, "between")]
    [InlineData(50.5, "between")]
    [InlineData(double.NaN, "between")]
    [InlineData(3.333, "two decimals")]
    public void Problem_ShareOutsideTheRangeOrTooFine_IsExplained(double percent, string? says)
    {
        var problem = WalletSplit.Problem(percent);

        if (says is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(says, problem, StringComparison.Ordinal);
        }
    }
}

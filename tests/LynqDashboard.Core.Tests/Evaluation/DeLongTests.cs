using System.Diagnostics;
using LynqDashboard.Core.Evaluation;

namespace LynqDashboard.Core.Tests.Evaluation;

/// <summary>The fast midrank DeLong test against the definition: every (default, non-default) pair compared one by one.</summary>
public sealed class DeLongTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 80, false)]
    [InlineData(2, 150, true)]
    [InlineData(3, 31, true)]
    public void Components_SmallRandomData_EqualTheBruteForcePairComparison(int seed, int rows, bool coarse)
    {
        var (scores, _, labels) = RandomRows(seed, rows, coarse);

        var (v10, v01) = DeLong.Components(scores, labels);

        var (expected10, expected01) = BruteForceComponents(scores, labels);
        Assert.Equal(expected10.Length, v10.Length);
        Assert.Equal(expected01.Length, v01.Length);
        for (var i = 0; i < v10.Length; i++)
        {
            Assert.Equal(expected10[i], v10[i], 12);
        }

        for (var j = 0; j < v01.Length; j++)
        {
            Assert.Equal(expected01[j], v01[j], 12);
        }

        Assert.Equal(BinaryMetrics.RocAuc(scores, labels), v10.Average(), 12);
        Assert.Equal(BinaryMetrics.RocAuc(scores, labels), v01.Average(), 12);
    }

    [Theory]
    [InlineData(4, 120, false)]
    [InlineData(5, 200, true)]
    public void Compare_SmallRandomData_MatchesTheBruteForceVarianceOfTheDifference(int seed, int rows, bool coarse)
    {
        var (a, b, labels) = RandomRows(seed, rows, coarse);

        var result = DeLong.Compare(a, b, labels);

        var (a10, a01) = BruteForceComponents(a, labels);
        var (b10, b01) = BruteForceComponents(b, labels);
        var variance = ((Covariance(a10, a10) + Covariance(b10, b10) - (2 * Covariance(a10, b10))) / a10.Length)
            + ((Covariance(a01, a01) + Covariance(b01, b01) - (2 * Covariance(a01, b01))) / a01.Length);
        Assert.Equal(BinaryMetrics.RocAuc(a, labels), result.AucA, 12);
        Assert.Equal(BinaryMetrics.RocAuc(b, labels), result.AucB, 12);
        Assert.Equal(result.AucA - result.AucB, result.Difference, 12);
        Assert.Equal(Math.Sqrt(variance), result.StandardError, 12);
        Assert.Equal(result.Difference - (1.959963984540054 * result.StandardError), result.Low, 12);
        Assert.Equal(result.Difference + (1.959963984540054 * result.StandardError), result.High, 12);
        Assert.Equal(NormalDistribution.TwoSidedPValue(result.Difference / result.StandardError), result.PValue, 12);
    }

    [Fact]
    public void Compare_AModelAgainstItself_HasNoDifferenceAndPValueOne()
    {
        var (a, _, labels) = RandomRows(6, 300, coarse: true);

        var result = DeLong.Compare(a, a, labels);

        Assert.Equal(0, result.Difference);
        Assert.Equal(0, result.StandardError);
        Assert.Equal(1, result.PValue);
        Assert.Equal(0, result.Low);
        Assert.Equal(0, result.High);
    }

    [Fact]
    public void Compare_InformativeAgainstNoise_FindsTheDifferenceWithAnIntervalAboveZero()
    {
        var random = new Random(7);
        var labels = Enumerable.Range(0, 2_000).Select(_ => random.NextDouble() < 0.2).ToArray();
        var informative = labels.Select(l => (float)((l ? 1.0 : 0.0) + random.NextDouble() * 1.5)).ToArray();
        var noise = labels.Select(_ => (float)random.NextDouble()).ToArray();

        var result = DeLong.Compare(informative, noise, labels);

        Assert.True(result.Low > 0, $"CI {result.Low:0.0000} to {result.High:0.0000}");
        Assert.True(result.PValue < 1e-10, $"p {result.PValue}");
    }

    [Fact]
    public void Compare_TwoHundredThousandRows_TakesWellUnderASecondOrTwo()
    {
        var random = new Random(8);
        var labels = Enumerable.Range(0, 200_000).Select(_ => random.NextDouble() < 0.08).ToArray();
        var a = labels.Select(l => (float)((l ? 0.8 : 0.0) + random.NextDouble())).ToArray();
        var b = a.Select(x => x + (float)(random.NextDouble() * 0.3)).ToArray();

        var watch = Stopwatch.StartNew();
        var result = DeLong.Compare(a, b, labels);
        output.WriteLine($"200,000 rows: {watch.Elapsed.TotalMilliseconds:F0} ms, difference {result.Difference:0.00000} ± {result.StandardError:0.00000}");

        Assert.InRange(watch.Elapsed.TotalSeconds, 0, 5);
        Assert.InRange(result.StandardError, 1e-5, 0.01);
    }

    [Theory]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(1.0, 0.15729920705028513)]
    [InlineData(2.0, 0.004677734981047266)]
    [InlineData(3.0, 2.209049699858544e-05)]
    [InlineData(5.0, 1.5374597944280349e-12)]
    public void Erfc_KnownValues_AreAccurateRelatively(double x, double expected)
    {
        Assert.InRange(Math.Abs(NormalDistribution.Erfc(x) - expected) / expected, 0, 1e-11);
    }

    [Fact]
    public void TwoSidedPValue_At1Point96_IsFivePercent()
    {
        Assert.Equal(0.05, NormalDistribution.TwoSidedPValue(DeLong.Z95), 12);
        Assert.Equal(0.975, NormalDistribution.Cdf(DeLong.Z95), 12);
    }

    // Two correlated score columns; coarse rounds them to one decimal so many ties occur within and across the classes.
    private static (float[] A, float[] B, bool[] Labels) RandomRows(int seed, int rows, bool coarse)
    {
        var random = new Random(seed);
        var labels = new bool[rows];
        var a = new float[rows];
        var b = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            labels[i] = i < 5 || (i >= 10 && random.NextDouble() < 0.3);
            var signal = (labels[i] ? 0.6 : 0) + random.NextDouble();
            var (x, y) = (signal + (random.NextDouble() * 0.3), signal + (random.NextDouble() * 0.8));
            (a[i], b[i]) = coarse ? ((float)Math.Round(x, 1), (float)Math.Round(y, 1)) : ((float)x, (float)y);
        }

        return (a, b, labels);
    }

    private static (double[] V10, double[] V01) BruteForceComponents(float[] scores, bool[] labels)
    {
        var positives = scores.Where((_, i) => labels[i]).ToArray();
        var negatives = scores.Where((_, i) => !labels[i]).ToArray();
        static double Psi(float x, float y) => x > y ? 1 : x == y ? 0.5 : 0;
        return (
            [.. positives.Select(x => negatives.Average(y => Psi(x, y)))],
            [.. negatives.Select(y => positives.Average(x => Psi(x, y)))]);
    }

    private static double Covariance(double[] x, double[] y)
    {
        var (mx, my) = (x.Average(), y.Average());
        return x.Select((v, i) => (v - mx) * (y[i] - my)).Sum() / (x.Length - 1);
    }
}

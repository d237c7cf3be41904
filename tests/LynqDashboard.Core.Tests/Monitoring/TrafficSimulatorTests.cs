using LynqDashboard.Core.Data;
using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Monitoring;


namespace LynqDashboard.Core.Tests.Monitoring;

public sealed class TrafficSimulatorTests(ITestOutputHelper output)
{
    private const int Rows = 20_000;

    // The training side: a dataset generated as the dashboard generates one, with a seed of its own.
    private static readonly Lazy<float[][]> Training = new(() => Columns(new DatasetGenerator(new DatasetParameters(Rows, Seed: 7)).Rows().Select(FeaturesOf)));

    [Fact]
    public void Applications_TheSameSeed_AreTheSameApplicationsAndOutcomes()
    {
        var first = new TrafficSimulator(2_000, seed: 5, TrafficDrift.ThinCollateral).Applications().ToList();
        var second = new TrafficSimulator(2_000, seed: 5, TrafficDrift.ThinCollateral).Applications().ToList();
        var other = new TrafficSimulator(2_000, seed: 6, TrafficDrift.ThinCollateral).Applications().ToList();

        Assert.Equal(first, second);
        Assert.NotEqual(first.Select(a => a.Application), other.Select(a => a.Application));
        Assert.Equal(Enumerable.Range(0, 2_000), first.Select(a => a.Index));
    }

    [Fact]
    public void Applications_TheSameSeedAsATrainingSet_AreNotItsRows()
    {
        var training = new DatasetGenerator(new DatasetParameters(100, Seed: 42)).Rows().Select(FeaturesOf).ToList();
        var simulated = new TrafficSimulator(100, seed: 42).Applications().Select(a => FeaturesOf(a.Application)).ToList();

        Assert.NotEqual(training[0], simulated[0]);
    }

    [Fact]
    public void Applications_Undrifted_FollowTheGeneratorsDistribution()
    {
        var csi = CsiPerFeature(TrafficDrift.None, seed: 1);

        Assert.All(csi, pair => Assert.True(pair.Value < 0.02, $"{pair.Key}: CSI {pair.Value:F4}"));
    }

    [Theory]
    [InlineData(TrafficDrift.YoungWallets, new[] { "wallet_age_days" })]
    [InlineData(TrafficDrift.ThinCollateral, new[] { "collateral_value_usd", "collateral_ratio" })]
    [InlineData(TrafficDrift.DefaultRateX2, new string[0])]
    public void Applications_Drifted_MoveOnlyTheDriftedFeatures(TrafficDrift drift, string[] drifted)
    {
        var csi = CsiPerFeature(drift, seed: 2);

        foreach (var (feature, value) in csi)
        {
            if (drifted.Contains(feature))
            {
                Assert.True(value > 0.25, $"{feature} should drift: CSI {value:F4}");
            }
            else
            {
                Assert.True(value < 0.1, $"{feature} should stay: CSI {value:F4}");
            }
        }
    }

    [Theory]
    [InlineData(TrafficDrift.None)]
    [InlineData(TrafficDrift.YoungWallets)]
    [InlineData(TrafficDrift.ThinCollateral)]
    public void Applications_OutcomesDrawnFromTruePd_MatchTheMeanTruePdWithinSamplingError(TrafficDrift drift)
    {
        var tally = TallyOf(new TrafficSimulator(Rows, seed: 3, drift));
        var standardError = Math.Sqrt(tally.MeanTruePd * (1 - tally.MeanTruePd) / Rows);
        output.WriteLine($"{drift}: mean true PD {tally.MeanTruePd:P2}, drawn default rate {tally.DrawnDefaultRate:P2}, SE {standardError:P2}");

        Assert.InRange(tally.DrawnDefaultRate, tally.MeanTruePd - (3 * standardError), tally.MeanTruePd + (3 * standardError));
    }

    [Fact]
    public void Applications_DefaultRateX2_DefaultTwiceAsOftenAsTheTruePdSays()
    {
        var tally = TallyOf(new TrafficSimulator(Rows, seed: 3, TrafficDrift.DefaultRateX2));
        var undrifted = TallyOf(new TrafficSimulator(Rows, seed: 3));

        Assert.Equal(undrifted.MeanTruePd, tally.MeanTruePd, 12);
        Assert.InRange(tally.DrawnDefaultRate / tally.MeanTruePd, 1.8, 2.2);
    }

    [Fact]
    public void Applications_YoungWallets_AreMostlyUnder90DaysAndRiskier()
    {
        var drifted = new TrafficSimulator(Rows, seed: 4, TrafficDrift.YoungWallets).Applications().ToList();
        var undrifted = TallyOf(new TrafficSimulator(Rows, seed: 4));

        Assert.True(drifted.Count(a => a.Application.WalletAgeDays < 90) > 0.7 * Rows);
        Assert.True(drifted.Average(a => a.TruePd) > undrifted.MeanTruePd);
        Assert.All(drifted.Take(200), a => Assert.Empty(a.Application.Validate()));
    }

    [Fact]
    public void Constructor_RowsOutOfRange_NamesTheRows()
    {
        var problem = Assert.Throws<LynqException>(() => new TrafficSimulator(0, seed: 1));

        Assert.Contains(problem.Problems, p => p.Field == "rows");
    }

    [Theory]
    [InlineData("none", TrafficDrift.None)]
    [InlineData(" Young-Wallets ", TrafficDrift.YoungWallets)]
    [InlineData("thin-collateral", TrafficDrift.ThinCollateral)]
    [InlineData("default-rate-x2", TrafficDrift.DefaultRateX2)]
    public void TryParse_EveryName_RoundTrips(string name, TrafficDrift expected)
    {
        Assert.True(TrafficDrifts.TryParse(name, out var drift));
        Assert.Equal(expected, drift);
        Assert.Equal(name.Trim().ToLowerInvariant(), drift.ToName());
        Assert.False(TrafficDrifts.TryParse("sideways", out _));
    }

    private Dictionary<string, double> CsiPerFeature(TrafficDrift drift, long seed)
    {
        var simulated = Columns(new TrafficSimulator(Rows, seed, drift).Applications().Select(a => FeaturesOf(a.Application)));
        var csi = LoanFeatures.All.ToDictionary(f => f.Name, f => PopulationStability.Index(Training.Value[f.Index], simulated[f.Index]));
        output.WriteLine(string.Join(", ", csi.Select(c => $"{c.Key} {c.Value:F4}")));
        return csi;
    }

    private static SimulationTally TallyOf(TrafficSimulator simulator)
    {
        var tally = new SimulationTally();
        foreach (var application in simulator.Applications())
        {
            tally.AddSent(application);
        }

        return tally;
    }

    private static float[] FeaturesOf(GeneratedLoan loan)
    {
        var values = new float[LoanFeatures.Count];
        loan.CopyFeaturesTo(values);
        return values;
    }

    private static float[] FeaturesOf(LoanApplication application)
    {
        var values = new float[LoanFeatures.Count];
        application.CopyFeaturesTo(values);
        return values;
    }

    private static float[][] Columns(IEnumerable<float[]> rows)
    {
        var list = rows.ToList();
        return [.. Enumerable.Range(0, LoanFeatures.Count).Select(f => list.Select(r => r[f]).ToArray())];
    }
}

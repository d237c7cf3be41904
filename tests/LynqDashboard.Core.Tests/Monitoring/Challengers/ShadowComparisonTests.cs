using System.Diagnostics;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Monitoring.Challengers;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Tests.Monitoring.Challengers;

public sealed class ShadowComparisonTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly double[] NoFeatures = new double[LoanFeatures.Count];

    [Fact]
    public void Pearson_HandWorkedPairs_Is11OverRoot130()
    {
        // x = 1, 2, 3, 4 and y = 2, 4, 5, 9 (in %): centred sums Sxy = 11, Sxx = 5, Syy = 26, so r = 11 / √130.
        var r = Correlation.Pearson([0.01, 0.02, 0.03, 0.04], [0.02, 0.04, 0.05, 0.09]);

        Assert.Equal(11 / Math.Sqrt(130), r!.Value, 12);
        Assert.Null(Correlation.Pearson([0.1, 0.1, 0.1], [0.2, 0.3, 0.4]));
    }

    [Fact]
    public void Build_SixHandPlacedRows_CountsEachFlipInItsDirectionAtEachCutoffAndTheActionMatrix()
    {
        var builder = new ChallengerReportBuilder(RiskPolicy.Default); // cutoffs 2, 5, 10, 20 %
        (double Champion, double Shadow, string ChampionAction, string ShadowAction)[] rows =
        [
            (0.010, 0.030, "APPROVE", "APPROVE"),                   // up across 2 %
            (0.060, 0.040, "APPROVE_WITH_CONDITIONS", "APPROVE"),   // down across 5 %
            (0.030, 0.250, "APPROVE", "REJECT"),                    // up across 5, 10 and 20 %
            (0.150, 0.150, "MANUAL_REVIEW", "MANUAL_REVIEW"),       // no flip
            (0.200, 0.199, "REJECT", "MANUAL_REVIEW"),              // champion exactly at 20 % (the stricter side), shadow below
            (0.019, 0.020, "APPROVE", "APPROVE"),                   // shadow exactly at 2 %
        ];
        foreach (var (row, i) in rows.Select((r, i) => (r, i)))
        {
            builder.Add(Row(i, 3, row.Champion, row.ChampionAction, shadow: 4, row.Shadow, row.ShadowAction));
        }

        builder.Add(Row(99, 3, 0.5, "REJECT", shadow: null, 0, null)); // no shadow: not compared
        var report = builder.Build(Start, Start.AddDays(1), 0);

        Assert.Equal(7, report.Decisions);
        Assert.Equal([0.02, 0.05, 0.10, 0.20], report.Cutoffs);
        var s = Assert.Single(report.Shadows);
        Assert.Equal((3, 4, 6L), (s.ChampionVersion, s.ShadowVersion, s.Decisions));
        Assert.Equal(
            [(0.02, 4L, 6L, 2L, 0L), (0.05, 3L, 3L, 1L, 1L), (0.10, 2L, 3L, 1L, 0L), (0.20, 1L, 1L, 1L, 1L)],
            s.Cutoffs.Select(c => (c.Cutoff, c.ChampionAtOrAbove, c.ShadowAtOrAbove, c.ShadowStricter, c.ShadowLooser)));
        Assert.Equal(
            [("APPROVE", "APPROVE", 2L), ("APPROVE", "REJECT", 1L), ("APPROVE_WITH_CONDITIONS", "APPROVE", 1L), ("MANUAL_REVIEW", "MANUAL_REVIEW", 1L), ("REJECT", "MANUAL_REVIEW", 1L)],
            s.Matrix.Select(m => (m.ChampionAction, m.ShadowAction, m.Count)));
        Assert.Equal(3, s.ActionFlips);
        Assert.Equal(["APPROVE", "APPROVE_WITH_CONDITIONS", "MANUAL_REVIEW", "REJECT"], s.Actions);
        Assert.Null(s.Outcomes);
    }

    [Fact]
    public void Build_ShadowIdenticalToTheChampion_CorrelatesExactlyWithNoPsiNoFlipAndNoAucDifference()
    {
        var builder = new ChallengerReportBuilder(RiskPolicy.Default);
        var i = 0;
        foreach (var a in new TrafficSimulator(20_000, seed: 3).Applications())
        {
            var pd = Noisy(a.TruePd, 0.5, a.Index, 1);
            var action = RiskPolicy.Default.BandFor(pd).Action.ToString();
            builder.Add(Row(i++, 5, pd, action, shadow: 6, pd, action, a.Defaulted));
        }

        var s = Assert.Single(builder.Build(Start, Start.AddDays(1), 0).Shadows);

        Assert.Equal(1, s.Pearson!.Value, 12);
        Assert.Equal(1, s.Spearman!.Value, 12);
        Assert.Equal(0, s.Psi, 12);
        Assert.All(s.Cutoffs, c => Assert.Equal((0L, 0L), (c.ShadowStricter, c.ShadowLooser)));
        Assert.Equal(0, s.ActionFlips);
        Assert.All(s.Matrix, m => Assert.Equal(m.ChampionAction, m.ShadowAction));
        var o = s.Outcomes!;
        Assert.Equal(20_000, o.Loans);
        Assert.Equal(0, o.AucDifference!.Estimate);
        Assert.False(o.AucDifference.ExcludesZero);
        Assert.InRange(0, o.AucDifference.Low, o.AucDifference.High);
        Assert.Equal(o.Champion.Auc, o.Shadow.Auc);
        Assert.Equal(0, o.CalibrationDifference!.Estimate, 12);
        Assert.False(o.CalibrationDifference.ExcludesZero);
        Assert.Equal(0, o.BrierDifference!.Estimate, 12);
    }

    [Fact]
    public void Build_ShadowCloserToTheTruePd_HasAHigherAucWhoseIntervalExcludesZero()
    {
        var builder = new ChallengerReportBuilder(RiskPolicy.Default);
        foreach (var a in new TrafficSimulator(20_000, seed: 4).Applications())
        {
            var champion = Noisy(a.TruePd, 1.0, a.Index, 1); // the champion sees the true PD through more noise than the shadow
            var shadow = Noisy(a.TruePd, 0.2, a.Index, 2);
            builder.Add(Row(a.Index, 5, champion, Action(champion), shadow: 6, shadow, Action(shadow), a.Defaulted));
        }

        var s = Assert.Single(builder.Build(Start, Start.AddDays(1), 0).Shadows);
        var o = s.Outcomes!;
        output.WriteLine($"AUC champion {o.Champion.Auc:0.0000}, shadow {o.Shadow.Auc:0.0000}, difference {o.AucDifference!.Estimate:0.0000} ({o.AucDifference.Low:0.0000} to {o.AucDifference.High:0.0000}), p {o.AucPValue:0.####}; correlation {s.Pearson:0.000}, PSI {s.Psi:0.0000}");

        Assert.True(o.AucDifference.Estimate > 0);
        Assert.True(o.AucDifference.Low > 0, $"the interval {o.AucDifference.Low} to {o.AucDifference.High} should lie above 0");
        Assert.True(o.BrierDifference!.High < 0, "the shadow's PDs are closer to the outcomes");
        Assert.InRange(s.Pearson!.Value, 0.3, 0.99);
        Assert.True(s.Cutoffs.Sum(c => c.ShadowStricter + c.ShadowLooser) > 0);
    }

    [Fact]
    public void Build_OutcomesOfOneClassOnly_GivesCalibrationButNoAucAndSaysWhy()
    {
        var builder = new ChallengerReportBuilder(RiskPolicy.Default);
        for (var i = 0; i < 50; i++)
        {
            builder.Add(Row(i, 1, 0.04, "APPROVE", shadow: 2, 0.06, "APPROVE_WITH_CONDITIONS", defaulted: i < 10 ? false : null));
        }

        var o = Assert.Single(builder.Build(Start, Start.AddDays(1), 0).Shadows).Outcomes!;

        Assert.Equal((10L, 0L), (o.Loans, o.Defaults));
        Assert.Null(o.AucDifference);
        Assert.Null(o.Champion.Auc);
        Assert.Contains("None of the 10 loans", o.Note, StringComparison.Ordinal);
        Assert.Equal(0.04, o.Champion.CalibrationGap!.Estimate, 6);
        Assert.Equal(0.06, o.Shadow.CalibrationGap!.Estimate, 6);
        Assert.Equal(0.02, o.CalibrationDifference!.Estimate, 6); // the shadow's gap is 2 points wider
    }

    [Fact]
    public void Build_AMillionRows_Completes()
    {
        var features = new double[LoanFeatures.Count];
        features[LoanFeatures.LoanAmount.Index] = 1_000;
        features[LoanFeatures.CollateralValueUsd.Index] = 800;
        var random = new Random(1);
        var clock = Stopwatch.StartNew();
        var builder = new ChallengerReportBuilder(RiskPolicy.Default);
        for (var i = 0; i < 1_000_000; i++)
        {
            var truth = random.NextDouble() * 0.3;
            var champion = Math.Clamp(truth + ((random.NextDouble() - 0.5) * 0.05), 0, 1);
            var shadow = Math.Clamp(truth + ((random.NextDouble() - 0.5) * 0.02), 0, 1);
            bool? defaulted = i % 3 == 0 ? random.NextDouble() < truth : null;
            builder.Add(new JoinedDecision(i, $"r{i}", Start.AddSeconds(i), 1, features, champion, Action(champion), 2, shadow, Action(shadow),
                i % 10 == 0 ? "challenger" : "champion", defaulted, defaulted is null ? null : Start));
        }

        var report = builder.Build(Start, Start.AddDays(30), 0);
        output.WriteLine($"1,000,000 joined decisions (a third with outcomes, a tenth in the challenger arm): {clock.Elapsed.TotalSeconds:0.00} s, peak working set {Environment.WorkingSet / 1e6:0} MB");

        Assert.Equal(1_000_000, Assert.Single(report.Shadows).Decisions);
        Assert.Equal(333_334, report.Shadows[0].Outcomes!.Loans);
        Assert.Equal(1_000_000, report.Split.Pooled.Sum(a => a.Decisions));
    }

    internal static JoinedDecision Row(long id, int? version, double pd, string action, int? shadow, double shadowPd, string? shadowAction, bool? defaulted = null, string? arm = null, double[]? features = null) =>
        new(id, $"r{id}", Start.AddMinutes(id), version, features ?? NoFeatures, pd, action, shadow, shadow is null ? null : shadowPd, shadowAction, arm, defaulted, defaulted is null ? null : Start);

    private static string Action(double pd) => RiskPolicy.Default.BandFor(pd).Action.ToString();

    // The true PD seen through normal noise of the given spread on the log-odds scale (deterministic per row and stream).
    private static double Noisy(double truePd, double spread, int index, int stream)
    {
        var random = new Random((index * 7) + stream); // not HashCode.Combine: that is salted per process
        var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var logit = Math.Log(truePd / (1 - truePd)) + (spread * z);
        return 1 / (1 + Math.Exp(-logit));
    }
}

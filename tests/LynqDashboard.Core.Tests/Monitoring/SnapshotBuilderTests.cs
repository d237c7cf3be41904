using System.Diagnostics;
using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Monitoring;

namespace LynqDashboard.Core.Tests.Monitoring;

public sealed class SnapshotBuilderTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero); // a Monday
    private static readonly string WalletAge = LoanFeatures.Names[0];

    [Fact]
    public void Build_UnchangedPopulation_HasSmallPsiAndCsiAndNoAlert()
    {
        var baseline = BaselineBins.From(1, BaselineBinsTests.Rows(15_000, seed: 10), Start);
        var builder = new SnapshotBuilder(baseline);
        foreach (var decision in Decisions(20_000, seed: 11, drift: false, outcomes: false))
        {
            builder.Add(decision);
        }

        var snapshot = builder.Build(1, "1", Start, Start, Start.AddDays(7), new MonitoringThresholds(), 0);

        Assert.InRange(snapshot.ScorePsi!.Value, 0, 0.02);
        Assert.Equal(12, snapshot.FeatureCsi.Count);
        Assert.All(snapshot.FeatureCsi.Values, csi => Assert.InRange(csi, 0, 0.02));
        Assert.Empty(snapshot.Alerts);
    }

    [Fact]
    public void Build_YoungerWallets_RaisesAPsiAlertNamingWalletAge()
    {
        var baseline = BaselineBins.From(1, BaselineBinsTests.Rows(15_000, seed: 10), Start);
        var builder = new SnapshotBuilder(baseline);
        foreach (var decision in Decisions(20_000, seed: 12, drift: true, outcomes: false))
        {
            builder.Add(decision);
        }

        var snapshot = builder.Build(1, "1", Start, Start, Start.AddDays(7), new MonitoringThresholds(), 0);

        Assert.True(snapshot.FeatureCsi[WalletAge] > 0.25, $"CSI {snapshot.FeatureCsi[WalletAge]}");
        Assert.Contains(snapshot.Alerts, a => a.Kind == MonitoringAlertKind.Psi && a.Feature == WalletAge);
        Assert.InRange(snapshot.FeatureCsi[LoanFeatures.Names[4]], 0, 0.02); // loan_amount did not move
    }

    [Fact]
    public void Build_MixTrafficAndVintages_CountEveryDecisionOnceInItsDayHourAndWeek()
    {
        var builder = new SnapshotBuilder(baseline: null);
        var decisions = Decisions(2_000, seed: 13, drift: false, outcomes: true).ToList();
        foreach (var decision in decisions)
        {
            builder.Add(decision);
        }

        var snapshot = builder.Build(null, "rule-based-fallback", Start, Start, Start.AddDays(14), new MonitoringThresholds(), 0);

        Assert.Null(snapshot.ScorePsi);
        Assert.Empty(snapshot.FeatureCsi);
        Assert.Equal(2_000, snapshot.Days.Sum(d => d.Decisions));
        Assert.Equal(2_000, snapshot.Hours.Sum(h => h.Decisions));
        Assert.Equal(2_000, snapshot.Days.Sum(d => d.Actions.Values.Sum()));
        Assert.Equal(decisions.GroupBy(d => d.At.UtcDateTime.Date).Count(), snapshot.Days.Count);
        Assert.Equal(decisions.Where(d => d.At.UtcDateTime.Date == Start.UtcDateTime).Average(d => d.DefaultProbability), snapshot.Days[0].MeanPd, 12);
        Assert.Equal([Start, Start.AddDays(7)], snapshot.Vintages.Select(v => v.Vintage));
        Assert.Equal(decisions.Count(d => d.Defaulted is not null), snapshot.WithOutcome);
        Assert.Equal(2_000, snapshot.Vintages.Sum(v => v.Decisions));
    }

    [Fact]
    public void Build_BackTest_AucAndKsEqualBinaryMetricsOnTheSameRows()
    {
        var builder = new SnapshotBuilder(baseline: null, "month");
        var decisions = Decisions(5_000, seed: 14, drift: false, outcomes: true).Where(d => d.At < Start.AddDays(7)).ToList();
        foreach (var decision in decisions)
        {
            builder.Add(decision);
        }

        var vintage = Assert.Single(builder.Build(null, "x", Start, Start, Start.AddDays(30), new MonitoringThresholds(), 0).Vintages);

        var known = decisions.Where(d => d.Defaulted is not null).ToList();
        var scores = known.Select(d => (float)d.DefaultProbability).ToArray();
        var labels = known.Select(d => d.Defaulted!.Value).ToArray();
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), vintage.Vintage);
        Assert.Equal(BinaryMetrics.RocAuc(scores, labels), vintage.Auc!.Value, 12);
        Assert.Equal(BinaryMetrics.KolmogorovSmirnov(scores, labels), vintage.Ks!.Value, 12);
        Assert.Equal(labels.Count(l => l), vintage.Defaults);
        Assert.Equal(Math.Sqrt(known.Sum(d => d.DefaultProbability * (1 - d.DefaultProbability))) / known.Count, vintage.StandardError, 12);
        // Outcomes drawn from the PD: the observed rate is within sampling error of the mean PD.
        Assert.InRange(Math.Abs(vintage.ObservedRate - vintage.MeanPd), 0, 3 * vintage.StandardError);
    }

    [Fact]
    public void Build_AMillionDecisions_PrintsItsTime()
    {
        var baseline = BaselineBins.From(1, BaselineBinsTests.Rows(15_000, seed: 10), Start);
        var decisions = Decisions(100_000, seed: 15, drift: false, outcomes: true).ToArray();
        var builder = new SnapshotBuilder(baseline);
        var started = Stopwatch.GetTimestamp();
        for (var pass = 0; pass < 10; pass++)
        {
            foreach (var decision in decisions)
            {
                builder.Add(decision);
            }
        }

        var snapshot = builder.Build(1, "1", Start, Start, Start.AddDays(30), new MonitoringThresholds(), 0);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        output.WriteLine($"SnapshotBuilder: {snapshot.Decisions:N0} decisions ({snapshot.WithOutcome:N0} with outcome) in {seconds:0.000} s ({snapshot.Decisions / seconds:N0}/s)");
        Assert.Equal(1_000_000, snapshot.Decisions);
    }

    /// <summary>Decisions spread evenly over 14 days from <see cref="Start"/>, PD from <see cref="TruePd"/>, outcomes (on 60 %) drawn from it.</summary>
    internal static IEnumerable<MonitoredDecision> Decisions(int count, int seed, bool drift, bool outcomes)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var features = Applicant(random, drift);
            var pd = TruePd(features);
            bool? defaulted = outcomes && random.NextDouble() < 0.6 ? random.NextDouble() < pd : null;
            var action = pd < 0.05 ? "APPROVE" : pd < 0.15 ? "APPROVE_WITH_CONDITIONS" : pd < 0.3 ? "MANUAL_REVIEW" : "REJECT";
            yield return new MonitoredDecision(Start.AddSeconds(i * 14 * 86_400.0 / count), features, pd, action, defaulted);
        }
    }

    /// <summary>Twelve feature values in model order, roughly the LYNQ recipe; drift makes wallets five times younger.</summary>
    internal static double[] Applicant(Random random, bool drift)
    {
        var age = Math.Floor(-500 * Math.Log(random.NextDouble() * random.NextDouble() + 1e-12)) / (drift ? 5 : 1);
        var income = Math.Exp(8.5 + (Normal(random) * 1.0));
        var loan = income * (0.5 + (random.NextDouble() * 2.5));
        var utilization = 0.1 + (random.NextDouble() * 0.85);
        var collateral = loan / utilization;
        double[] terms = [1, 3, 3, 6, 6, 6, 12, 12, 1, 3];
        return
        [
            age, random.Next(50, 400), income * 12 * (0.8 + (random.NextDouble() * 0.4)), random.Next(5, 30), loan, collateral,
            terms[random.Next(terms.Length)], random.Next(0, 6), random.Next(0, 6), random.Next(0, 2), random.Next(0, 101), collateral / loan,
        ];
    }

    internal static double TruePd(double[] features) =>
        1 / (1 + Math.Exp(-(-2.6 + (300 / (features[0] + 30)) - (0.4 * Math.Log(features[11])))));

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

using LynqDashboard.Core.Monitoring;

namespace LynqDashboard.Core.Tests.Monitoring;

public sealed class MonitoringAlertsTests
{
    private static readonly MonitoringThresholds Lines = new(PsiAmber: 0.1, PsiRed: 0.25, CalibrationShare: 0.25, MinOutcomes: 500, AucFloor: 0.70);
    private static readonly Dictionary<string, double> NoCsi = [];

    [Theory]
    [InlineData(0.2499, false)]
    [InlineData(0.25, true)]
    [InlineData(0.9, true)]
    public void Raise_ScorePsi_AlertsAtTheRedLineAndAbove(double psi, bool alerts)
    {
        var raised = MonitoringAlerts.Raise(psi, NoCsi, [], Lines);

        Assert.Equal(alerts, raised.Any(a => a is { Kind: MonitoringAlertKind.Psi, Feature: "score" }));
    }

    [Fact]
    public void Raise_FeatureCsiOverTheLine_NamesTheFeatureWithItsNumber()
    {
        var alert = Assert.Single(MonitoringAlerts.Raise(0.01, new Dictionary<string, double> { ["wallet_age_days"] = 0.41, ["loan_amount"] = 0.05 }, [], Lines));

        Assert.Equal(("wallet_age_days", 0.41, 0.25), (alert.Feature, alert.Value, alert.Limit));
        Assert.Contains("wallet_age_days", alert.Message, StringComparison.Ordinal);
        Assert.Contains("0.410", alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Raise_CalibrationOffByMoreThanTheShareAndBeyondSamplingError_Alerts()
    {
        // 10,000 outcomes at mean PD 8 %: SE ≈ 0.0027; 12 % observed is 50 % off and ~15 SE.
        var alert = Assert.Single(MonitoringAlerts.Raise(null, NoCsi, [Vintage(10_000, observed: 0.12, meanPd: 0.08, auc: 0.8)], Lines));

        Assert.Equal(MonitoringAlertKind.Calibration, alert.Kind);
        Assert.Contains("understate", alert.Message, StringComparison.Ordinal);
        Assert.Contains("12.0 %", alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Raise_CalibrationWithinTheShare_DoesNotAlert()
    {
        Assert.Empty(MonitoringAlerts.Raise(null, NoCsi, [Vintage(100_000, observed: 0.099, meanPd: 0.08, auc: 0.8)], Lines));
    }

    [Fact]
    public void Raise_GapOverTheShareButWithinThreeStandardErrors_DoesNotAlert()
    {
        // 600 outcomes at 2 %: SE ≈ 0.0057, so 3 % observed (50 % off) is under 2 SE: chance, not a broken model.
        var vintage = Vintage(600, observed: 0.03, meanPd: 0.02, auc: 0.8);
        Assert.True(Math.Abs(vintage.ObservedRate - vintage.MeanPd) < 3 * vintage.StandardError);

        Assert.Empty(MonitoringAlerts.Raise(null, NoCsi, [vintage], Lines));
    }

    [Theory]
    [InlineData(499, false)]
    [InlineData(500, true)]
    public void Raise_BackTestAndCalibration_NeedMinOutcomes(int outcomes, bool alerts)
    {
        var raised = MonitoringAlerts.Raise(null, NoCsi, [Vintage(outcomes, observed: 0.5, meanPd: 0.08, auc: 0.6)], Lines);

        Assert.Equal(alerts ? 2 : 0, raised.Count);
    }

    [Theory]
    [InlineData(0.6999, true)]
    [InlineData(0.70, false)]
    public void Raise_AucUnderTheFloor_Alerts(double auc, bool alerts)
    {
        var raised = MonitoringAlerts.Raise(null, NoCsi, [Vintage(5_000, observed: 0.08, meanPd: 0.08, auc)], Lines);

        Assert.Equal(alerts, raised.Any(a => a.Kind == MonitoringAlertKind.BackTestAuc && a.Value == auc));
    }

    private static VintageBackTest Vintage(long outcomes, double observed, double meanPd, double auc) =>
        new(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), "week", outcomes, outcomes, (long)Math.Round(observed * outcomes), meanPd, observed,
            Math.Sqrt(outcomes * meanPd * (1 - meanPd)) / outcomes, auc, 0.4);
}

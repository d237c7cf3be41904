using Bunit;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Components.Controls;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Tests.Shared;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>The version page's Monotonicity card: per feature the direction, range, PD at both ends and the share against it.</summary>
public sealed class MonotonicityCardTests : ComponentTest
{
    [Fact]
    public void MonotonicityCard_OneFeatureOverTheGate_FlagsOnlyThatRow()
    {
        var view = new MonotonicityView(
        [
            new FeatureMonotonicity(LoanFeatures.Defaults.Name, FeatureDirection.RaisesPd, 0, 2, 0.06, 0.095, 0.0, 500),
            new FeatureMonotonicity(LoanFeatures.CollateralRatio.Name, FeatureDirection.LowersPd, 1.05, 9.17, 0.05, 0.12, 0.62, 500),
        ], Limit: 0.10);

        var cut = Render<MonotonicityCard>(p => p.Add(c => c.View, view));

        var ratio = cut.Find($"[data-testid=monotonicity-{LoanFeatures.CollateralRatio.Name}]");
        Assert.Contains("mud-error-text", ratio.ClassName, StringComparison.Ordinal);
        Assert.Contains("62.0 %", ratio.TextContent, StringComparison.Ordinal);
        Assert.Contains("over the gate", ratio.TextContent, StringComparison.Ordinal);
        Assert.Contains("1.05 → 9.17", ratio.TextContent, StringComparison.Ordinal);
        Assert.Contains("lowers PD", ratio.TextContent, StringComparison.Ordinal);
        var defaults = cut.Find($"[data-testid=monotonicity-{LoanFeatures.Defaults.Name}]");
        Assert.DoesNotContain("over the gate", defaults.TextContent, StringComparison.Ordinal);
        Assert.Contains("6.00 %", defaults.TextContent, StringComparison.Ordinal);
        Assert.Contains("9.50 %", defaults.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void MonotonicityCard_VersionWithoutTheFile_SaysNotMeasured()
    {
        var cut = Render<MonotonicityCard>(p => p.Add(c => c.View, new MonotonicityView(null, 0.10)));

        Assert.Contains("Not measured for this version", cut.Find("[data-testid=monotonicity-not-measured]").TextContent, StringComparison.Ordinal);
    }
}

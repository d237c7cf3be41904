using Bunit;
using Microsoft.Extensions.DependencyInjection;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Components.Controls;
using LynqDashboard.Web.Components.Pages;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Tests.Shared;

namespace LynqDashboard.Web.Tests.Components;

public sealed class ChartAndGridTests : ComponentTest
{
    private static readonly Lazy<TrainedModel> Trained = new(() =>
        new ModelTrainer().Train(LoanDataset.From(new DatasetGenerator(new DatasetParameters(8_000, 1)).Rows().ToList()), new TrainingParameters(Trees: 20)));

    [Fact]
    public void VersionCharts_WithAValidationPack_DrawsEveryChart()
    {
        var cut = Render<VersionCharts>(p => p.Add(c => c.Metrics, Trained.Value.Metrics));

        foreach (var chart in new[] { "chart-roc", "chart-pr", "chart-calibration", "chart-importance" })
        {
            Assert.NotEmpty(cut.Find($"[data-testid={chart}]").QuerySelectorAll("svg path"));
        }

        Assert.Contains(Trained.Value.Metrics.RocAuc.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void VersionCharts_Importance_ListsAll12FeaturesByLabel_LargestFirst_WithTheirValues()
    {
        var metrics = Trained.Value.Metrics;

        var cut = Render<VersionCharts>(p => p.Add(c => c.Metrics, metrics));

        var rows = cut.FindAll("[data-testid=importance-bars] tr");
        var expected = metrics.FeatureImportance.OrderByDescending(f => f.Importance).ToList();
        Assert.Equal(Core.Features.LoanFeatures.Count, rows.Count);
        Assert.Equal(expected.Select(f => Core.Features.LoanFeatures.Find(f.Feature)!.Label), rows.Select(r => r.QuerySelector("th")!.TextContent.Trim()));
        Assert.Equal(
            expected.Select(f => f.Importance.ToString("0.000;−0.000;0.000", System.Globalization.CultureInfo.InvariantCulture)),
            rows.Select(r => r.QuerySelector(".bar-value")!.TextContent));
        Assert.Contains("Total volume (USD)", cut.Find("[data-testid=chart-importance]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("total_volume_usd", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void VersionCharts_Calibration_ShowsEachDecilesCounts_OnAnAxisThatFitsTheData()
    {
        var metrics = Trained.Value.Metrics;

        var cut = Render<VersionCharts>(p => p.Add(c => c.Metrics, metrics));

        var deciles = cut.FindAll("[data-testid=calibration-deciles] tbody tr");
        Assert.Equal(metrics.Calibration.Count, deciles.Count);
        var last = metrics.Calibration[^1];
        var cells = deciles[^1].QuerySelectorAll("td").Select(c => c.TextContent).ToList();
        Assert.Equal(last.Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), cells[1]);
        Assert.Equal(((int)Math.Round(last.ObservedRate * last.Count)).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), cells[2]);
        Assert.Equal(metrics.Calibration.Sum(b => b.Count), metrics.TestRows);

        // The axis ends at the first round value above the largest decile, not at 100 %.
        var top = metrics.Calibration.Max(b => Math.Max(b.MeanPredicted, b.ObservedRate));
        var axis = LynqDashboard.Web.Model.AxisScale.Fit(top);
        var yTicks = cut.Find("[data-testid=chart-calibration] .xy-y-ticks").Children.Select(t => t.TextContent).ToList();
        Assert.Equal(LynqDashboard.Web.Model.DisplayFormat.Percent(axis.Max, axis.PercentDecimals), yTicks[^1]);
        Assert.True(axis.Max >= top && axis.Max < Math.Max(top * 2, 0.05), $"axis to {axis.Max} for data up to {top}");
        Assert.Equal(10, cut.Find("[data-testid=chart-calibration] svg").QuerySelectorAll("path.xy-marker").Length);
    }

    [Fact]
    public void VersionCharts_AxisTitles_SitUnderTheXAxisAndBesideTheYAxis_WithReadableTicks()
    {
        var cut = Render<VersionCharts>(p => p.Add(c => c.Metrics, Trained.Value.Metrics));

        var roc = cut.Find("[data-testid=chart-roc] figure");
        var parts = roc.Children.Select(c => c.ClassName).ToList();
        Assert.True(parts.IndexOf("xy-x-title") > parts.IndexOf("xy-plot"), string.Join(", ", parts));
        Assert.Equal("False positive rate", roc.QuerySelector(".xy-x-title")!.TextContent);
        Assert.Equal("True positive rate", roc.QuerySelector(".xy-y-title")!.TextContent);
        // Ticks are page text (readable at any width), not text inside the stretched SVG.
        Assert.Equal(["0 %", "20 %", "40 %", "60 %", "80 %", "100 %"], roc.QuerySelectorAll(".xy-x-ticks span").Select(t => t.TextContent));
        Assert.Empty(roc.QuerySelectorAll("svg text"));
    }

    [Theory]
    [InlineData(0.38, 0.4, 0.1, 0)]
    [InlineData(0.12, 0.125, 0.025, 1)]
    [InlineData(1.0, 1.0, 0.2, 0)]
    [InlineData(0.031, 0.04, 0.01, 0)]
    [InlineData(0, 1, 0.2, 0)]
    public void AxisScale_Fit_EndsAtTheFirstRoundStepAboveTheData(double dataMax, double max, double step, int percentDecimals)
    {
        var axis = LynqDashboard.Web.Model.AxisScale.Fit(dataMax);

        Assert.Equal(max, axis.Max, 9);
        Assert.Equal(step, axis.Step, 9);
        Assert.Equal(percentDecimals, axis.PercentDecimals);
        Assert.Equal(0, axis.Ticks()[0]);
        Assert.Equal(max, axis.Ticks()[^1], 9);
    }

    [Fact]
    public async Task ThresholdPanel_MovingTheThreshold_RecomputesTheConfusionMatrix()
    {
        var model = Trained.Value;
        var cut = Render<ThresholdPanel>(p => p.Add(c => c.Explorer, new ThresholdExplorer(model.TestProbabilities, model.TestLabels)).Add(c => c.Initial, 0.5));
        var atHalf = BinaryMetrics.ConfusionAt(model.TestProbabilities, model.TestLabels, 0.5);
        Assert.Equal(atHalf.TruePositives.ToString("N0", System.Globalization.CultureInfo.CurrentCulture), cut.Find("[data-testid=cm-tp]").TextContent);

        var slider = cut.FindComponent<MudBlazor.MudSlider<double>>();
        await cut.InvokeAsync(() => slider.Instance.ValueChanged.InvokeAsync(0.1));

        var atTenth = BinaryMetrics.ConfusionAt(model.TestProbabilities, model.TestLabels, 0.1);
        cut.WaitForAssertion(() => Assert.Equal(atTenth.TruePositives.ToString("N0", System.Globalization.CultureInfo.CurrentCulture), cut.Find("[data-testid=cm-tp]").TextContent));
        Assert.True(atTenth.TruePositives > atHalf.TruePositives);
        Assert.Equal("10.0 %", cut.Find("[data-testid=threshold-value]").TextContent);
    }

    [Fact]
    public async Task Compare_TwoReadyVersions_ShowsDeltasParameterDifferencesAndBothCurves()
    {
        var lineage = new LynqDashboard.Core.Artifacts.DatasetLineage("d.csv", "x", 8_000, null);
        foreach (var (number, trees) in new[] { (1, 20), (2, 40) })
        {
            var trained = number == 1 ? Trained.Value
                : new ModelTrainer().Train(LoanDataset.From(new DatasetGenerator(new DatasetParameters(8_000, 1)).Rows().ToList()), new TrainingParameters(Trees: trees));
            var folder = Data.VersionFolder(number);
            LynqDashboard.Core.Artifacts.ModelArtifacts.Write(trained, number.ToString(System.Globalization.CultureInfo.InvariantCulture), "t", lineage, folder);
            await Registry.AddVersionAsync(new ModelVersionRecord
            {
                DatasetId = Guid.NewGuid(), Parameters = trained.Parameters, Status = VersionStatus.Ready, ArtifactDirectory = Data.Relative(folder),
            });
        }

        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        navigation.NavigateTo("/models/compare?a=1&b=2");
        var cut = Render<Compare>();

        cut.WaitForAssertion(() => Assert.Contains("ROC-AUC", cut.Find("[data-testid=compare-metrics]").TextContent, StringComparison.Ordinal));
        Assert.Contains("Trees: 20 → 40", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("v1 (AUC", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("v2 (AUC", cut.Markup, StringComparison.Ordinal);
        Directory.Delete(Data.Root, recursive: true);
    }

    [Fact]
    public async Task ModelsGrid_ShowsVersionsAndSendsSortToTheRegistry()
    {
        foreach (var auc in new double?[] { 0.8, 0.85, null })
        {
            await Registry.AddVersionAsync(new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), RocAuc = auc, Status = auc is null ? VersionStatus.Failed : VersionStatus.Ready });
        }

        var cut = Render<Models>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("tbody tr").Count));
        Assert.Contains("v3", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("0.8500", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("number", Registry.Queries[^1].SortBy);
    }
}

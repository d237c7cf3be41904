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
        Assert.Contains("0.10", cut.Find("[data-testid=threshold-value]").TextContent, StringComparison.Ordinal);
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

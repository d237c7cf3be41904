using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Tests.Shared;
using LynqDashboard.Core.Training;

namespace LynqDashboard.Core.Tests.Scoring;

/// <summary>
/// The default (probabilistic) data gives every feature the direction a lender expects, and a model trained on it learns
/// them: swept over its training range, each declared feature moves the average PD the declared way.
/// </summary>
public sealed class MonotonicityCheckTests(TrainedModelFixture fixture, ITestOutputHelper output) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void DefaultData_TrainedModel_MovesEveryDeclaredFeatureTheDeclaredWay()
    {
        var compiled = CompiledTreeModel.TryCompile(fixture.Model.Context, fixture.Model.Model, fixture.Data.Select([.. Enumerable.Range(0, 256)]))!;
        var applicants = Enumerable.Range(0, 300).Select(i => MonotonicityCheck.ApplicationOf(fixture.Data, i * 7)).ToList();

        var results = MonotonicityCheck.Run(compiled.Predict, fixture.Data, applicants);
        foreach (var r in results)
        {
            output.WriteLine($"{r.Feature,-22} {r.Direction,-9} {r.From,10:0.##} → {r.To,-10:0.##} mean PD {r.MeanPdAtFrom:P2} → {r.MeanPdAtTo:P2}, against {r.ShareAgainst:P1}");
        }

        Assert.Equal(LoanFeatures.All.Count(f => f.Direction != FeatureDirection.None), results.Count);
        Assert.All(results, r => Assert.True(r.AverageFollowsDirection,
            $"{r.Feature} ({r.Direction}) from {r.From:0.##} to {r.To:0.##}: mean PD {r.MeanPdAtFrom:P2} → {r.MeanPdAtTo:P2}"));
        Assert.All(results, r => Assert.True(r.ShareAgainst <= 0.25, $"{r.Feature}: {r.ShareAgainst:P0} of applicants move against {r.Direction}"));
    }

    [Fact]
    public void LynqOriginalData_TrainedModel_MovesCollateralTheWrongWay()
    {
        // The original formula (collateral = loan × (1 + utilization × 0.5)) makes a higher ratio mean more risk: the check must see it.
        var data = LoanDataset.From(new DatasetGenerator(new DatasetParameters(40_000, 11, LabelMode: LabelMode.LynqOriginal)).Rows().ToList());
        var model = new ModelTrainer().Train(data, new TrainingParameters(Trees: 60));
        var compiled = CompiledTreeModel.TryCompile(model.Context, model.Model, data.Select([.. Enumerable.Range(0, 256)]))!;
        var applicants = Enumerable.Range(0, 200).Select(i => MonotonicityCheck.ApplicationOf(data, i * 11)).ToList();

        var ratio = MonotonicityCheck.Run(compiled.Predict, data, applicants).Single(r => r.Feature == LoanFeatures.CollateralRatio.Name);

        Assert.False(ratio.AverageFollowsDirection, $"mean PD {ratio.MeanPdAtFrom:P2} → {ratio.MeanPdAtTo:P2} should rise with the ratio on the original data");
    }

    [Fact]
    public void Run_AModelThatIgnoresTheFeature_ReportsNoMovement()
    {
        var applicants = Enumerable.Range(0, 20).Select(i => MonotonicityCheck.ApplicationOf(fixture.Data, i)).ToList();

        var results = MonotonicityCheck.Run(_ => 0.08f, fixture.Data, applicants);

        Assert.All(results, r => Assert.False(r.AverageFollowsDirection));
        Assert.All(results, r => Assert.Equal(0, r.ShareAgainst));
    }
}

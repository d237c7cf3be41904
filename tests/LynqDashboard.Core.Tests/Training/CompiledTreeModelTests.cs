using CsCheck;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Tests.Shared;
using LynqDashboard.Core.Training;
using Microsoft.ML;

namespace LynqDashboard.Core.Tests.Training;

public sealed class CompiledTreeModelTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void TryCompile_FastTreeChain_MatchesMlNetOnEveryRow()
    {
        var rows = fixture.Data.Select([.. Enumerable.Range(0, 5_000)]);

        var compiled = CompiledTreeModel.TryCompile(fixture.Model.Context, fixture.Model.Model, rows);

        Assert.NotNull(compiled);
        var expected = ModelPredictions.ProbabilitiesWithMlNet(fixture.Model.Context, fixture.Model.Model, rows);
        var actual = compiled.Predict(rows);
        Assert.All(Enumerable.Range(0, rows.Count), i => Assert.InRange(Math.Abs(expected[i] - actual[i]), 0, 1e-6));
    }

    [Theory]
    [InlineData(4)]  // loan_amount: most trees split on it
    [InlineData(6)]  // term_months: no direction, few trees
    public void PredictWithColumn_IsThePredictionOfTheChangedRows(int feature)
    {
        var rows = fixture.Data.Select([.. Enumerable.Range(0, 3_000)]);
        var compiled = CompiledTreeModel.TryCompile(fixture.Model.Context, fixture.Model.Model, rows)!;
        var column = Enumerable.Range(0, rows.Count).Select(i => rows.Row((i * 7919) % rows.Count)[feature]).ToArray();
        var changed = (float[])rows.Features.Clone();
        for (var i = 0; i < rows.Count; i++)
        {
            changed[(i * LynqDashboard.Core.Features.LoanFeatures.Count) + feature] = column[i];
        }

        var expected = compiled.Predict(new LynqDashboard.Core.Data.LoanDataset(changed, rows.Labels, null));
        var actual = compiled.PredictWithColumn(rows, compiled.Outputs(rows), feature, column);

        // Only the order of the additions differs: within the compiled chain's own tolerance, and nearly always equal.
        Assert.All(Enumerable.Range(0, rows.Count), i => Assert.InRange(Math.Abs(expected[i] - actual[i]), 0, CompiledTreeModel.Tolerance));
        Assert.True(Enumerable.Range(0, rows.Count).Count(i => expected[i] == actual[i]) > rows.Count * 0.9, "most PDs should come out identical");
        Assert.NotEqual(compiled.Predict(rows), actual); // the column did change the answers
    }

    [Fact]
    public void PredictEachReplaced_ForAnyRowAndReplacement_IsTheFullPredictionOfEachOneFeatureChange()
    {
        var rows = fixture.Data.Select([.. Enumerable.Range(0, 2_000)]);
        var compiled = CompiledTreeModel.TryCompile(fixture.Model.Context, fixture.Model.Model, rows)!;
        var count = LynqDashboard.Core.Features.LoanFeatures.Count;

        // A row and a replacement vector whose every feature comes from some row, or is the row's own value: values in the
        // regions the splits cut, and replacements that flip none, some or all of the branches on the applicant's path.
        var gen = Gen.Select(
            Gen.Int[0, fixture.Data.Count - 1],
            Gen.Int[-1, fixture.Data.Count - 1].Array[count]);
        gen.Sample(
            sample =>
            {
                var (rowIndex, sources) = sample;
                var row = fixture.Data.Row(rowIndex).ToArray();
                var replacement = new float[count];
                for (var f = 0; f < count; f++)
                {
                    replacement[f] = sources[f] < 0 ? row[f] : fixture.Data.Row(sources[f])[f];
                }

                var each = new float[count];
                compiled.PredictEachReplaced(row, replacement, each);
                for (var f = 0; f < count; f++)
                {
                    var probe = (float[])row.Clone();
                    probe[f] = replacement[f];
                    if (Math.Abs(compiled.Predict(probe) - each[f]) > CompiledTreeModel.Tolerance)
                    {
                        return false;
                    }
                }

                return true;
            },
            iter: 2_000);
    }

    [Fact]
    public void TryCompile_LightGbmChain_MatchesMlNet()
    {
        var model = new ModelTrainer().Train(fixture.Data, new TrainingParameters(TrainerKind.LightGbm, Trees: 50, Leaves: 15));
        var rows = fixture.Data.Select([.. Enumerable.Range(0, 2_000)]);

        var compiled = CompiledTreeModel.TryCompile(model.Context, model.Model, rows);

        Assert.NotNull(compiled);
        var expected = ModelPredictions.ProbabilitiesWithMlNet(model.Context, model.Model, rows);
        Assert.All(Enumerable.Range(0, rows.Count), i => Assert.InRange(Math.Abs(expected[i] - compiled.Predict(rows.Row(i))), 0, 1e-6));
    }

    [Fact]
    public void TryCompile_ChainItDoesNotKnow_ReturnsNull()
    {
        var ml = new MLContext(1);
        var rows = fixture.Data.Select([.. Enumerable.Range(0, 2_000)]);
        var linear = ml.Transforms.NormalizeMeanVariance(nameof(ModelInput.Features))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(nameof(ModelInput.Label), nameof(ModelInput.Features)))
            .Fit(ModelPredictions.ToDataView(ml, rows));

        Assert.Null(CompiledTreeModel.TryCompile(ml, linear, rows));
    }

    [Fact]
    public void ScoringModel_LoadedFromDisk_UsesTheCompiledPathAndAgreesWithTheEngine()
    {
        using var folder = new TempFolder();
        ModelArtifacts.Write(fixture.Model, "1", "t", new DatasetLineage("d.csv", "x", 1, null), folder.File("v1"));

        var scoring = ScoringModel.Load(folder.File("v1"));

        Assert.True(scoring.IsCompiled);
        for (var i = 0; i < 2_000; i++)
        {
            var row = fixture.Data.Row(i);
            Assert.InRange(Math.Abs(scoring.PredictPd(row) - scoring.PredictWithEngine(row)), 0, 1e-6);
        }
    }

    [Fact]
    public void PredictEachAtBaseline_AgreesWithEachOneFeatureChangeScoredInFull_AndWithTheEngine()
    {
        using var folder = new TempFolder();
        ModelArtifacts.Write(fixture.Model, "1", "t", new DatasetLineage("d.csv", "x", 1, null), folder.File("v1"));
        var scoring = ScoringModel.Load(folder.File("v1"));
        var probe = new float[LynqDashboard.Core.Features.LoanFeatures.Count];
        var each = new float[LynqDashboard.Core.Features.LoanFeatures.Count];

        for (var i = 0; i < 300; i++)
        {
            var row = fixture.Data.Row(i * 17);
            scoring.PredictEachAtBaseline(row, each);
            for (var f = 0; f < each.Length; f++)
            {
                row.CopyTo(probe);
                probe[f] = scoring.Baseline[f];
                Assert.InRange(Math.Abs(scoring.PredictPd(probe) - each[f]), 0, CompiledTreeModel.Tolerance); // the full walk, up to the order of the additions
                Assert.InRange(Math.Abs(scoring.PredictWithEngine(probe) - each[f]), 0, 2e-6);
            }
        }
    }
}

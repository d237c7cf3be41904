using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Tests.Shared;
using LynqDashboard.Core.Training;

namespace LynqDashboard.Core.Tests.Scoring;

public sealed class ActiveModelTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public async Task Swap_WhileManyRequestsScore_EveryAnswerComesWhollyFromOneModel()
    {
        using var folder = new TempFolder();
        var lineage = new DatasetLineage("d.csv", "x", 1, null);
        ModelArtifacts.Write(fixture.Model, "1", "first", lineage, folder.File("v1"));
        var other = new ModelTrainer().Train(fixture.Data, new TrainingParameters(Trees: 30, Seed: 9));
        ModelArtifacts.Write(other, "2", "second", lineage, folder.File("v2"));
        var models = new[] { ScoringModel.Load(folder.File("v1")), ScoringModel.Load(folder.File("v2")) };
        var active = new ActiveModel(TimeProvider.System);
        var scorer = new CreditScorer();
        var applicants = Enumerable.Range(0, 50).Select(i => LoanApplication.Example with { ReputationScore = 40 + i, WalletAgeDays = 30 * (i + 1) }).ToArray();
        var expected = models.ToDictionary(m => m.Version, m => applicants.Select(a => scorer.Score(a, m).DefaultProbability).ToArray());

        // Serving from the start: the question is what happens during swaps, not before the first one.
        active.Swap(new ServingModel(models[0], "local", "test", 1, DateTimeOffset.UtcNow));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var swapper = Task.Run(async () =>
        {
            var swaps = 0;
            while (!stop.IsCancellationRequested)
            {
                active.Swap(new ServingModel(models[swaps++ % 2], "local", "test", swaps % 2 + 1, DateTimeOffset.UtcNow));
                await Task.Yield();
            }

            return swaps;
        });
        var scorers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var checkedAnswers = 0;
            while (!stop.IsCancellationRequested)
            {
                for (var i = 0; i < applicants.Length; i++)
                {
                    var result = scorer.Score(applicants[i], active.Current.Model);
                    Assert.Equal(expected[result.ModelVersion][i], result.DefaultProbability);
                    checkedAnswers++;
                }
            }

            return checkedAnswers;
        })).ToArray();

        var swapsDone = await swapper;
        var answers = (await Task.WhenAll(scorers)).Sum();

        Assert.True(swapsDone > 100, $"only {swapsDone} swaps happened");
        Assert.True(answers > 1_000, $"only {answers} answers were checked");
    }
}

using System.Globalization;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;
using LynqDashboard.Tests.Shared;

namespace LynqDashboard.Infrastructure.Tests.Governance;

/// <summary>The review of real trained versions over the real SQLite registry and local artifact folder.</summary>
public sealed class PromotionReviewerTests : IAsyncLifetime
{
    private readonly RecordingScheduler _scheduler = new();
    private readonly RecordingPublisher _publisher = new();
    private RegistryFixture _fixture = null!;
    private InlineRuns _runs = null!;
    private PromotionReviewer _reviewer = null!;

    public async ValueTask InitializeAsync()
    {
        _fixture = await RegistryFixture.CreateAsync();
        _runs = new InlineRuns(_fixture.Registry, _fixture.Data, _scheduler, _publisher);
        _reviewer = new PromotionReviewer(_fixture.Registry, new LocalArtifactStore(_fixture.Data), new ActivePolicy(),
            new PromotionGates(MinRocAuc: 0.6, MaxCalibrationError: 0.2), new GovernanceGates(), TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        _runs.Dispose();
        await _fixture.DisposeAsync();
    }

    [Fact]
    public async Task ReviewAsync_NothingInProduction_ChecksQualityLeakageAndMonotonicityFromTheTrainingFile()
    {
        var version = await TrainAsync(new DatasetParameters(12_000, 4), new TrainingParameters(Trees: 60));

        var review = await _reviewer.ReviewAsync(version);

        Assert.Equal([ReviewCheckNames.Quality, ReviewCheckNames.Leakage, ReviewCheckNames.Monotonicity], review.Checks.Select(c => c.Name));
        Assert.All(review.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Null(review.ProductionNumber);
        Assert.Null(review.Comparison);
        Assert.Contains(version.Artifacts, a => a.Name == ModelArtifacts.MonotonicityFile);
        Assert.Equal(VersionMonotonicity.Read(_fixture.Data.Resolve(version.ArtifactDirectory!)), review.Monotonicity);
        Assert.Contains("measured at training", review.Checks[2].Detail, StringComparison.Ordinal);
        Assert.False(review.Blocked);
    }

    [Fact]
    public async Task ReviewAsync_LynqOriginalVersion_FailsLeakageWhichAWrittenReasonMayOverride()
    {
        var version = await TrainAsync(new DatasetParameters(8_000, 5, LabelMode: LabelMode.LynqOriginal), new TrainingParameters(Trees: 40));

        var review = await _reviewer.ReviewAsync(version);

        var leakage = review.Checks.Single(c => c.Name == ReviewCheckNames.Leakage);
        Assert.False(leakage.Passed);
        Assert.True(leakage.Overridable);
        Assert.Contains("reputation_score", leakage.Detail, StringComparison.Ordinal);
        Assert.Contains(ReviewCheckNames.Leakage, review.NeedsReason);
    }

    [Fact]
    public async Task ReviewAsync_WorseChallengerOnOtherData_FailsTheAucGateNamingBothAucs()
    {
        var production = await TrainAsync(new DatasetParameters(20_000, 4), new TrainingParameters(Trees: 120));
        await _fixture.Registry.UpdateVersionAsync(production.Id, v => v.Status = VersionStatus.Production);
        var worse = await TrainAsync(new DatasetParameters(3_000, 9), new TrainingParameters(Trees: 2, Leaves: 2, MinExamplesPerLeaf: 200));

        var review = await _reviewer.ReviewAsync(worse);

        Assert.Equal(production.Number, review.ProductionNumber);
        var comparison = Assert.IsType<ChampionChallengerComparison>(review.Comparison);
        Assert.Equal(2, comparison.Sets.Count);
        Assert.Equal($"{worse.Label}'s test split", comparison.Sets[0].Name);
        Assert.Equal($"{production.Label}'s test split", comparison.Sets[1].Name);

        // Same rows, same model: the candidate's AUC on its own split is the one its training recorded.
        Assert.Equal(worse.RocAuc!.Value, comparison.Sets[0].Candidate.RocAuc, 1e-9);
        Assert.Equal(production.RocAuc!.Value, comparison.Sets[1].Production.RocAuc, 1e-9);

        var auc = review.Checks.Single(c => c.Name == ReviewCheckNames.AucAgainstProduction);
        Assert.False(auc.Passed);
        Assert.False(auc.Overridable);
        foreach (var set in comparison.Sets)
        {
            Assert.True(set.AucDifference < -0.005, $"{set.Name}: {set.AucDifference}");
            Assert.Contains($"{worse.Label} AUC {set.Candidate.RocAuc.ToString("0.0000", CultureInfo.InvariantCulture)}", auc.Detail, StringComparison.Ordinal);
            Assert.Contains($"{production.Label} AUC {set.Production.RocAuc.ToString("0.0000", CultureInfo.InvariantCulture)}", auc.Detail, StringComparison.Ordinal);
            Assert.True(set.ChangedActions > 0, $"{set.Name}: a two-tree model should decide some applicants differently");
        }

        // On production's 3,000 test rows the drop is more than chance; the candidate's own 450 rows are too few to say so.
        Assert.True(comparison.Sets[1].AucDifferenceHigh < 0, $"CI {comparison.Sets[1].AucDifferenceLow} to {comparison.Sets[1].AucDifferenceHigh}");
        Assert.True(review.Blocked);
        Assert.Equal(ReviewCheckNames.ScorePsi, review.Checks[^1].Name);
    }

    [Fact]
    public async Task ReviewAsync_SameDatasetOtherSplitSeed_ComparesOnlyRowsInBothTestSplits()
    {
        var production = await TrainAsync(new DatasetParameters(20_000, 6), new TrainingParameters(Trees: 60));
        await _fixture.Registry.UpdateVersionAsync(production.Id, v => v.Status = VersionStatus.Production);
        var candidate = await TrainOnAsync(production.DatasetId, new TrainingParameters(Trees: 60, Seed: 7));

        var review = await _reviewer.ReviewAsync(candidate);

        var set = Assert.Single(review.Comparison!.Sets);
        Assert.StartsWith($"rows in both {candidate.Label}'s and {production.Label}'s test splits", set.Name, StringComparison.Ordinal);

        // Each split is 15 % of the rows, so about 15 % of one split is also in the other.
        Assert.InRange(set.Rows, 300, 700);
        Assert.InRange(Math.Abs(set.AucDifference), 0, 0.05);
        Assert.True(review.Checks.Single(c => c.Name == ReviewCheckNames.AucAgainstProduction).Detail.Length > 0);
    }

    [Fact]
    public async Task ReviewAsync_SmallDatasetOtherSplitSeed_BlocksSayingTooFewSharedRows_AndWhichSeedWouldCompare()
    {
        var production = await TrainAsync(new DatasetParameters(8_000, 6), new TrainingParameters(Trees: 20));
        await _fixture.Registry.UpdateVersionAsync(production.Id, v => v.Status = VersionStatus.Production);
        var candidate = await TrainOnAsync(production.DatasetId, new TrainingParameters(Trees: 30, Seed: 7));

        var review = await _reviewer.ReviewAsync(candidate);

        Assert.Empty(review.Comparison!.Sets);
        var check = review.Checks.Single(c => c.Name == ReviewCheckNames.Comparison);
        Assert.False(check.Passed);
        Assert.Contains("fewer than 20 defaults or non-defaults", check.Detail, StringComparison.Ordinal);
        Assert.Contains($"Train the candidate with split seed {production.Parameters.Seed}", check.Detail, StringComparison.Ordinal);
        Assert.True(review.Blocked);
    }

    [Fact]
    public async Task ReviewAsync_SameDatasetAndSeed_ComparesOnTheOneSharedTestSplitWithPsiZero()
    {
        var parameters = new TrainingParameters(Trees: 40);
        var production = await TrainAsync(new DatasetParameters(10_000, 8), parameters);
        await _fixture.Registry.UpdateVersionAsync(production.Id, v => v.Status = VersionStatus.Production);
        var retrained = await TrainOnAsync(production.DatasetId, parameters);

        var review = await _reviewer.ReviewAsync(retrained);

        // The same data, seed and parameters train the same trees: the comparison must show no difference at all.
        var set = Assert.Single(review.Comparison!.Sets);
        Assert.Contains("same dataset and split seed", set.Name, StringComparison.Ordinal);
        Assert.Equal(0, set.ScorePsi, 12);
        Assert.Empty(set.ActionChanges);
        Assert.Equal(set.Candidate.RocAuc, set.Production.RocAuc, 12);
        Assert.All(review.Checks.Where(c => c.Name is ReviewCheckNames.AucAgainstProduction or ReviewCheckNames.ScorePsi), c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
    }

    private async Task<ModelVersionRecord> TrainAsync(DatasetParameters data, TrainingParameters parameters)
    {
        var (dataset, version) = await _runs.Commands.GenerateAndTrainAsync(data, parameters);
        await _runs.Generation.RunAsync(dataset.Id, CancellationToken.None);
        await _runs.Training.RunAsync(version.Id, CancellationToken.None);
        return await ReadyAsync(version.Id);
    }

    private async Task<ModelVersionRecord> TrainOnAsync(Guid datasetId, TrainingParameters parameters)
    {
        var version = await _runs.Commands.TrainAsync(datasetId, parameters);
        await _runs.Training.RunAsync(version.Id, CancellationToken.None);
        return await ReadyAsync(version.Id);
    }

    private async Task<ModelVersionRecord> ReadyAsync(Guid id)
    {
        var version = await _fixture.Registry.GetVersionAsync(id);
        Assert.Equal(VersionStatus.Ready, version!.Status);
        return version;
    }
}

using System.Text.Json;
using CsCheck;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Core.Tests.Scoring;
using LynqDashboard.Core.Tests.Shared;

namespace LynqDashboard.Core.Tests.Serialization;

/// <summary>
/// The scoring API writes its answer with the compile-time serializer (<see cref="LynqAnswerJson"/>): its bytes must be
/// the contract's, the ones <see cref="LynqJson.Compact"/> writes, for every kind of answer.
/// </summary>
public sealed class AnswerJsonTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void GeneratedSerializer_ForAnyAnswer_WritesTheSameBytesAsTheContractOptions()
    {
        using var folder = new TempFolder();
        ModelArtifacts.Write(fixture.Model, "1", "t", new DatasetLineage("d.csv", "x", 1, null), folder.File("v1"));
        var model = ScoringModel.Load(folder.File("v1"));
        var scorer = new CreditScorer();
        var (declined, warned, armed) = (0, 0, 0);

        // Model and fallback answers, with and without factors, with and without an A/B arm, some with an impossible
        // history (a warning): every optional part of the shape.
        Gen.Select(ReasonCodeTests.Applicants, Gen.Bool, Gen.Bool, Gen.Int[0, 2], Gen.Int[0, 3]).Sample(sample =>
        {
            var (applicant, useModel, explain, arm, extraDefaults) = sample;
            applicant = applicant with { Defaults = applicant.Defaults + extraDefaults };
            var result = scorer.Score(applicant, useModel ? model : null, explain);
            result = arm == 0 ? result : result with { ExperimentArm = arm == 1 ? "champion" : "challenger" };
            declined += result.ReasonCodes.Count > 0 ? 1 : 0;
            warned += result.Warnings.Count > 0 ? 1 : 0;
            armed += result.ExperimentArm is null ? 0 : 1;

            var contract = JsonSerializer.SerializeToUtf8Bytes(result, LynqJson.Compact);
            var generated = JsonSerializer.SerializeToUtf8Bytes(result, LynqAnswerJson.Default.CreditScoreResult);
            Assert.Equal(System.Text.Encoding.UTF8.GetString(contract), System.Text.Encoding.UTF8.GetString(generated));
        }, iter: 3_000, threads: 1);

        Assert.True(declined > 100 && warned > 0 && armed > 1_000, $"declined {declined}, warned {warned}, armed {armed}: the sample should cover every part");
    }
}

using System.Text.Json;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Training;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Web.Tests.Shared;

namespace LynqDashboard.Web.Tests.Endpoints;

/// <summary>A scoring node with MODEL_SOURCE=s3 against a real local S3 server: it serves what the pointer names and follows it.</summary>
[Collection(AppHostCollection.Name)]
public sealed class S3ScoringNodeTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>
{
    [Fact]
    public async Task ScoringNode_ServesThePromotedModel_AndSwitchesWhenThePointerMoves()
    {
        var bucket = $"node-{Guid.NewGuid():N}"[..24];
        var folders = TrainTwo();
        using var s3 = server.CreateClient();
        await s3.PutBucketAsync(bucket, TestContext.Current.CancellationToken);
        await S3ServerFixture.PromoteAsync(s3, bucket, "1", folders[0]);

        await using var factory = new DashboardFactory
        {
            Settings =
            {
                ["Lynq:Scoring:ModelSource"] = "s3", ["Lynq:Scoring:S3Bucket"] = bucket, ["Lynq:S3:ServiceUrl"] = server.ServiceUrl,
                ["Lynq:S3:ForcePathStyle"] = "true", ["Lynq:Scoring:RefreshSeconds"] = "1", ["Lynq:Scoring:ApiKeys:0"] = ScoringApiFixture.Key,
            },
        };
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-KEY", ScoringApiFixture.Key);
        await Eventually.WaitForAsync(() => client.GetStringAsync("/health")!, h => h.Contains("\"model_version\":\"1\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "v1 from S3");
        using (var info = JsonDocument.Parse(await client.GetStringAsync("/model/info", TestContext.Current.CancellationToken)))
        {
            Assert.Equal("s3", info.RootElement.GetProperty("model_source").GetString());
            Assert.Equal("models/credit_model_v1_manifest.json", info.RootElement.GetProperty("selection").GetString());
        }

        await S3ServerFixture.PromoteAsync(s3, bucket, "2", folders[1]);

        await Eventually.WaitForAsync(() => client.GetStringAsync("/health")!, h => h.Contains("\"model_version\":\"2\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "v2 from S3");
    }

    private static string[] TrainTwo()
    {
        var root = Path.Combine(Path.GetTempPath(), "lynq-node-models", Guid.NewGuid().ToString("N"));
        var data = LoanDataset.From(new DatasetGenerator(new DatasetParameters(8_000, 4)).Rows().ToList());
        var lineage = new DatasetLineage("d.csv", "x", data.Count, null);
        ModelArtifacts.Write(new ModelTrainer().Train(data, new TrainingParameters(Trees: 20)), "1", "v1", lineage, Path.Combine(root, "v1"));
        ModelArtifacts.Write(new ModelTrainer().Train(data, new TrainingParameters(Trees: 30, Seed: 5)), "2", "v2", lineage, Path.Combine(root, "v2"));
        return [Path.Combine(root, "v1"), Path.Combine(root, "v2")];
    }
}

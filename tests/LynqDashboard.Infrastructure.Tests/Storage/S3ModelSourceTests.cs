using Amazon.S3;
using Amazon.S3.Model;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;
using LynqDashboard.Infrastructure.Storage;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Infrastructure.Tests.Storage;

/// <summary>A scoring node reading its model from a real local S3 server, the way a promotion leaves it.</summary>
public sealed class S3ModelSourceTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>, IDisposable
{
    private const string Pointer = S3ServerFixture.PointerKey;
    private static readonly Lazy<(string V1, string V2)> Versions = new(TrainTwo);
    private readonly string _bucket = $"lynq-{Guid.NewGuid():N}"[..30];
    private readonly DataDirectory _data = new(Path.Combine(Path.GetTempPath(), "lynq-s3-tests", Guid.NewGuid().ToString("N")));

    [Fact]
    public async Task Refresh_FollowsThePointer_ServesTheVerifiedModel_AndSwitchesWhenThePointerMoves()
    {
        using var s3 = server.CreateClient();
        await s3.PutBucketAsync(_bucket);
        await S3ServerFixture.PromoteAsync(s3, _bucket, "1", Versions.Value.V1);
        var active = new ActiveModel(TimeProvider.System);
        using var source = new S3ModelSource(Stores(s3), new S3ModelLocation(_bucket, Pointer), _data, active, TimeProvider.System);

        Assert.True(await source.RefreshAsync());
        Assert.Equal(("s3", 1), (active.Current.Source, active.Current.Number!.Value));
        var local = ScoringModel.Load(Versions.Value.V1);
        Assert.Equal(new CreditScorer().Score(LoanApplication.Example, local).DefaultProbability, new CreditScorer().Score(LoanApplication.Example, active.Current.Model).DefaultProbability);
        Assert.False(await source.RefreshAsync()); // pointer unchanged: nothing downloaded, nothing swapped

        await S3ServerFixture.PromoteAsync(s3, _bucket, "2", Versions.Value.V2);
        Assert.True(await source.RefreshAsync());
        Assert.Equal(2, active.Current.Number);
        Assert.Null(active.LastError);
    }

    [Fact]
    public async Task Refresh_ObjectChangedAfterPromotion_IsRefusedAndTheOldModelKeepsServing()
    {
        using var s3 = server.CreateClient();
        await s3.PutBucketAsync(_bucket);
        await S3ServerFixture.PromoteAsync(s3, _bucket, "1", Versions.Value.V1);
        var active = new ActiveModel(TimeProvider.System);
        using var source = new S3ModelSource(Stores(s3), new S3ModelLocation(_bucket, Pointer), _data, active, TimeProvider.System);
        Assert.True(await source.RefreshAsync());

        await S3ServerFixture.PromoteAsync(s3, _bucket, "2", Versions.Value.V2);
        var tampered = File.ReadAllBytes(Path.Combine(Versions.Value.V2, ModelArtifacts.ModelFile));
        tampered[^10] ^= 0xFF;
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "models/credit_model_v2.zip", InputStream = new MemoryStream(tampered) });

        Assert.False(await source.RefreshAsync());
        Assert.Equal(1, active.Current.Number);
        Assert.Contains("does not match its manifest", active.LastError, StringComparison.Ordinal);
        Assert.Contains("still serving version 1", active.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_MissingBucket_ReportsTheS3CodeAndKeepsTheFallback()
    {
        using var s3 = server.CreateClient();
        var active = new ActiveModel(TimeProvider.System);
        using var source = new S3ModelSource(Stores(s3), new S3ModelLocation("no-such-bucket-here", Pointer), _data, active, TimeProvider.System);

        Assert.False(await source.RefreshAsync());

        Assert.Null(active.Current.Model);
        Assert.Contains("NoSuchBucket", active.LastError, StringComparison.Ordinal);
        Assert.Contains("rule-based fallback", active.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_AfterManyPromotions_KeepsOnlyTheNewestCacheFolders_AndAlwaysTheServingOne()
    {
        using var s3 = server.CreateClient();
        await s3.PutBucketAsync(_bucket);
        var active = new ActiveModel(TimeProvider.System);
        using var source = new S3ModelSource(Stores(s3), new S3ModelLocation(_bucket, Pointer, CacheKeep: 3), _data, active, TimeProvider.System);
        var folders = new List<string>();
        for (var version = 1; version <= 5; version++)
        {
            await S3ServerFixture.PromoteAsync(s3, _bucket, $"{version}", version % 2 == 1 ? Versions.Value.V1 : Versions.Value.V2);
            Assert.True(await source.RefreshAsync());
            folders.Add(Assert.Single(Directory.GetDirectories(_data.S3Cache), d => !folders.Contains(d)));
            await Task.Delay(20); // distinct folder times even on a coarse file system clock
        }

        // Five promotions, three folders: the serving v5 and the two served just before it.
        Assert.Equal(folders[^3..].Order(StringComparer.Ordinal), Directory.GetDirectories(_data.S3Cache).Order(StringComparer.Ordinal));
        Assert.Equal(5, active.Current.Number);
        Assert.All(folders[^3..], f => Assert.True(File.Exists(Path.Combine(f, ModelArtifacts.ModelFile)), f));

        // A node told to keep one keeps exactly the model it serves.
        using var lean = new S3ModelSource(Stores(s3), new S3ModelLocation(_bucket, Pointer, CacheKeep: 1), _data, active, TimeProvider.System);
        await S3ServerFixture.PromoteAsync(s3, _bucket, "2", Versions.Value.V2);
        Assert.True(await lean.RefreshAsync());
        Assert.Equal([folders[1]], Directory.GetDirectories(_data.S3Cache));
        Assert.Equal(2, active.Current.Number);
    }

    // The node's stores over the test's client: path-style against the local server, as Lynq:S3 would set them.
    private S3ObjectStoreFactory Stores(Amazon.S3.IAmazonS3 s3) => new(s3, new S3Endpoint(ServiceUrl: server.ServiceUrl, ForcePathStyle: true));

    public void Dispose()
    {
        if (Directory.Exists(_data.Root))
        {
            Directory.Delete(_data.Root, recursive: true);
        }
    }

    private static (string, string) TrainTwo()
    {
        var root = Path.Combine(Path.GetTempPath(), "lynq-s3-models", Guid.NewGuid().ToString("N"));
        var data = LoanDataset.From(new DatasetGenerator(new DatasetParameters(10_000, 4)).Rows().ToList());
        var lineage = new DatasetLineage("d.csv", "x", data.Count, null);
        ModelArtifacts.Write(new ModelTrainer().Train(data, new TrainingParameters(Trees: 20)), "1", "v1", lineage, Path.Combine(root, "v1"));
        ModelArtifacts.Write(new ModelTrainer().Train(data, new TrainingParameters(Trees: 40, Seed: 7)), "2", "v2", lineage, Path.Combine(root, "v2"));
        return (Path.Combine(root, "v1"), Path.Combine(root, "v2"));
    }
}

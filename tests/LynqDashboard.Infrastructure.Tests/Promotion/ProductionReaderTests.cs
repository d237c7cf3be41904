using System.Text;
using System.Text.Json;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Core.Storage;
using LynqDashboard.Infrastructure.Storage;
using LynqDashboard.Tests.Shared;

namespace LynqDashboard.Infrastructure.Tests.Promotion;

/// <summary>Each thing the reader can find behind the production pointer, in a bucket on the real local S3 server.</summary>
public sealed class ProductionReaderTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>, IAsyncLifetime
{
    private const string Pointer = PromotionLayout.DefaultPointerKey;
    private const string ManifestKey = "models/credit_model_v4_manifest.json";
    private static readonly PromotionManifest Manifest = new("4", [new("models/credit_model_v4.zip", PromotionManifest.ModelRole, new string('a', 64), 123)], DateTimeOffset.UnixEpoch, "risk.lead", "v4");

    [Fact]
    public async Task ReadProduction_EmptyBucket_IsNoPointer_SayingNothingWasPromoted()
    {

        var read = await _store.ReadProductionAsync(Pointer, TestContext.Current.CancellationToken);

        Assert.Equal(ProductionReadOutcome.NoPointer, read.Outcome);
        Assert.Equal($"s3://{_store.Bucket}/{Pointer} does not exist: nothing has been promoted to this bucket yet.", read.Problem);
        Assert.Null(read.ProductionPointer);
        Assert.Null(read.Manifest);
    }

    [Theory]
    [InlineData("<pointer/>", "is not a production pointer ('<' is an invalid start of a value")]
    [InlineData("{\"version\":\"4\"}", "is not a production pointer (it names no manifest).")]
    public async Task ReadProduction_PointerThatIsNoPointer_IsPointerUnreadable_NamingIt(string content, string problem)
    {
        await WriteAsync(Pointer, Encoding.UTF8.GetBytes(content));

        var read = await _store.ReadProductionAsync(Pointer, TestContext.Current.CancellationToken);

        Assert.Equal(ProductionReadOutcome.PointerUnreadable, read.Outcome);
        Assert.StartsWith($"s3://{_store.Bucket}/{Pointer} {problem}", read.Problem, StringComparison.Ordinal);
        Assert.Null(read.ProductionPointer);
    }

    [Fact]
    public async Task ReadProduction_PointerToAMissingManifest_IsManifestMissing_WithThePointer()
    {
        await WritePointerAsync();

        var read = await _store.ReadProductionAsync(Pointer, TestContext.Current.CancellationToken);

        Assert.Equal(ProductionReadOutcome.ManifestMissing, read.Outcome);
        Assert.Equal($"s3://{_store.Bucket}/{ManifestKey}, which the production pointer names, does not exist.", read.Problem);
        Assert.Equal(("4", ManifestKey), (read.ProductionPointer!.Version, read.ManifestKey));
        Assert.Null(read.Manifest);
    }

    [Theory]
    [InlineData("[1, 2", "is not a valid manifest (")]
    [InlineData("{\"version\":\"4\",\"objects\":[]}", "is not a valid manifest (it names no objects).")]
    public async Task ReadProduction_ManifestThatIsNoManifest_IsManifestUnreadable_NamingIt(string content, string problem)
    {
        await WritePointerAsync();
        await WriteAsync(ManifestKey, Encoding.UTF8.GetBytes(content));

        var read = await _store.ReadProductionAsync(Pointer, TestContext.Current.CancellationToken);

        Assert.Equal(ProductionReadOutcome.ManifestUnreadable, read.Outcome);
        Assert.StartsWith($"s3://{_store.Bucket}/{ManifestKey}, which the production pointer names, {problem}", read.Problem, StringComparison.Ordinal);
        Assert.NotNull(read.ProductionPointer);
        Assert.Null(read.Manifest);
    }

    [Fact]
    public async Task ReadProduction_PointerAndManifest_IsReady_WithBoth()
    {
        await WritePointerAsync();
        await WriteAsync(ManifestKey, JsonSerializer.SerializeToUtf8Bytes(Manifest, LynqJson.Options));

        var read = await _store.ReadProductionAsync(Pointer, TestContext.Current.CancellationToken);

        Assert.Equal(ProductionReadOutcome.Ready, read.Outcome);
        Assert.Null(read.Problem);
        Assert.Equal(("4", ManifestKey), (read.ProductionPointer!.Version, read.ManifestKey));
        Assert.Equal(Manifest.Objects, read.Manifest!.Objects);
        Assert.Equal(Manifest.PromotedBy, read.Manifest.PromotedBy);
    }

    [Fact]
    public async Task ReadProduction_PointerStillNamingTheServedManifest_IsUnchanged_WithoutReadingTheManifest()
    {
        await WritePointerAsync();
        await WriteAsync(ManifestKey, JsonSerializer.SerializeToUtf8Bytes(Manifest, LynqJson.Options));

        var read = await _store.ReadProductionAsync(Pointer, ManifestKey, TestContext.Current.CancellationToken);

        Assert.Equal(ProductionReadOutcome.Unchanged, read.Outcome);
        Assert.Equal(ManifestKey, read.ManifestKey);
        Assert.DoesNotContain(_proxy.Requests, r => r.Method == "GET" && r.Path.EndsWith(ManifestKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadManifest_ByItsKey_IsMissingOrReady_WithoutAPointer()
    {

        var missing = await _store.ReadManifestAsync(ManifestKey, TestContext.Current.CancellationToken);
        await WriteAsync(ManifestKey, JsonSerializer.SerializeToUtf8Bytes(Manifest, LynqJson.Options));
        var ready = await _store.ReadManifestAsync(ManifestKey, TestContext.Current.CancellationToken);

        Assert.Equal((ProductionReadOutcome.ManifestMissing, $"s3://{_store.Bucket}/{ManifestKey} does not exist."), (missing.Outcome, missing.Problem));
        Assert.Equal((ProductionReadOutcome.Ready, "4"), (ready.Outcome, ready.Manifest!.Version));
        Assert.Null(ready.ProductionPointer);
    }

    [Fact]
    public async Task ReadProduction_MissingBucket_IsAStorageFailure_NotAnOutcome()
    {
        using var client = server.CreateClient();
        var missing = new S3ObjectStore(client, new S3Endpoint(ServiceUrl: server.ServiceUrl, ForcePathStyle: true), "no-such-bucket-here");

        var error = await Assert.ThrowsAsync<ObjectStoreException>(() => missing.ReadProductionAsync(Pointer, TestContext.Current.CancellationToken));

        Assert.Equal("NoSuchBucket", error.Code);
    }

    private FaultyS3Proxy _proxy = null!;
    private Amazon.S3.IAmazonS3 _client = null!;
    private IObjectStore _store = null!;

    // A fresh bucket, reached through the proxy so a test can see which objects were read.
    public async ValueTask InitializeAsync()
    {
        var bucket = $"reader-{Guid.NewGuid():N}"[..28];
        using (var direct = server.CreateClient())
        {
            await direct.PutBucketAsync(bucket, TestContext.Current.CancellationToken);
        }

        _proxy = await FaultyS3Proxy.StartAsync(server.ServiceUrl);
        var endpoint = new S3Endpoint(ServiceUrl: _proxy.Url, ForcePathStyle: true);
        _client = endpoint.CreateClient(new Amazon.Runtime.BasicAWSCredentials("test", "test"));
        _store = new S3ObjectStore(_client, endpoint, bucket);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _proxy.DisposeAsync();
    }

    private Task WritePointerAsync() =>
        WriteAsync(Pointer, JsonSerializer.SerializeToUtf8Bytes(new ProductionPointer(ManifestKey, "4", DateTimeOffset.UnixEpoch), LynqJson.Options));

    private Task WriteAsync(string key, byte[] content) =>
        _store.WriteAsync(key, content, "application/json", TestContext.Current.CancellationToken);
}

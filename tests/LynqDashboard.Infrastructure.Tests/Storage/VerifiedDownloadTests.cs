using System.Security.Cryptography;
using Amazon.Runtime;
using LynqDashboard.Core.Storage;
using LynqDashboard.Infrastructure.Storage;
using LynqDashboard.Tests.Shared;

namespace LynqDashboard.Infrastructure.Tests.Storage;

/// <summary>
/// The one verified download, against the real local S3 server behind the fault proxy: only bytes with the recorded
/// size and SHA-256 reach the target; anything else is ChecksumMismatch and leaves the target as it was.
/// </summary>
public sealed class VerifiedDownloadTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>, IAsyncLifetime
{
    private const string Key = "artifacts/models/v1/model.zip";
    private static readonly byte[] Bytes = [.. Enumerable.Range(0, 200_000).Select(i => (byte)(i * 31))];
    private static readonly string Sha = Convert.ToHexStringLower(SHA256.HashData(Bytes));
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "lynq-verified", Guid.NewGuid().ToString("N"));
    private FaultyS3Proxy _proxy = null!;
    private Amazon.S3.IAmazonS3 _client = null!;
    private S3ObjectStore _store = null!;

    private string Target => Path.Combine(_folder, "model.zip");

    [Fact]
    public async Task Download_MatchingBytes_LandAtTheTarget_AndNothingElseIsLeft()
    {
        await _store.DownloadVerifiedAsync(Key, Target, Sha, Bytes.Length, "the registry", TestContext.Current.CancellationToken);

        Assert.Equal(Bytes, await File.ReadAllBytesAsync(Target, TestContext.Current.CancellationToken));
        Assert.Equal([Target], Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Download_BytesChangedOnTheWay_IsChecksumMismatch_AndTheTargetKeepsWhatItHad()
    {
        // A server that keeps no checksums: only the download's own SHA-256 can notice the changed byte.
        _proxy.Inject(new S3Fault.CorruptBody("GET", Key, StripChecksums: true));
        await File.WriteAllTextAsync(Target, "the copy served until now", TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<ObjectStoreException>(() =>
            _store.DownloadVerifiedAsync(Key, Target, Sha, Bytes.Length, "its manifest", TestContext.Current.CancellationToken));

        Assert.Equal(ObjectStoreException.ChecksumMismatch, error.Code);
        Assert.StartsWith($"s3://{_store.Bucket}/{Key} does not match its manifest: it arrived as {Bytes.Length:N0} bytes with SHA-256 ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"but its manifest recorded {Bytes.Length:N0} bytes with {Sha[..12]}…; it was not used.", error.Message, StringComparison.Ordinal);
        Assert.Contains(_proxy.Requests, r => r.Fault == nameof(S3Fault.CorruptBody));
        Assert.Equal("the copy served until now", await File.ReadAllTextAsync(Target, TestContext.Current.CancellationToken));
        Assert.Equal([Target], Directory.GetFiles(_folder)); // the temporary file is gone
    }

    [Fact]
    public async Task Download_OtherSizeThanRecorded_IsChecksumMismatch_AndNoFileIsMade()
    {
        var error = await Assert.ThrowsAsync<ObjectStoreException>(() =>
            _store.DownloadVerifiedAsync(Key, Target, Sha, Bytes.Length + 1, "the registry", TestContext.Current.CancellationToken));

        Assert.Equal(ObjectStoreException.ChecksumMismatch, error.Code);
        Assert.Contains("but the registry recorded", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var bucket = $"verified-{Guid.NewGuid():N}"[..28];
        using (var direct = server.CreateClient())
        {
            await direct.PutBucketAsync(bucket, TestContext.Current.CancellationToken);
            await direct.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = bucket, Key = Key, InputStream = new MemoryStream(Bytes) }, TestContext.Current.CancellationToken);
        }

        _proxy = await FaultyS3Proxy.StartAsync(server.ServiceUrl);
        var endpoint = new S3Endpoint(ServiceUrl: _proxy.Url, ForcePathStyle: true, MaxRetries: 0);
        _client = endpoint.CreateClient(new BasicAWSCredentials("test", "test"));
        _store = new S3ObjectStore(_client, endpoint, bucket);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _proxy.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}

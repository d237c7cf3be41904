using System.Security.Cryptography;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Infrastructure.Storage;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Infrastructure.Tests.Storage;

/// <summary>The store against the real local S3 server: large files go up in parts and come back byte for byte.</summary>
public sealed class S3ModelStoreTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>
{
    [Fact]
    public async Task UploadFile_LargerThanThePartSize_GoesUpInParts_AndReadsBackWithTheSameSha256()
    {
        var bucket = $"store-{Guid.NewGuid():N}"[..24];
        await using var proxy = await FaultyS3Proxy.StartAsync(server.ServiceUrl);
        var endpoint = new S3Endpoint(ServiceUrl: proxy.Url, ForcePathStyle: true);
        using var client = endpoint.CreateClient(new Amazon.Runtime.BasicAWSCredentials("test", "test"));
        await client.PutBucketAsync(bucket);
        var store = new S3ObjectStore(client, endpoint, bucket, partSizeBytes: 5L << 20);
        var file = Path.Combine(Path.GetTempPath(), $"lynq-big-{Guid.NewGuid():N}.bin");
        var bytes = new byte[(20 << 20) + 12_345];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(file, bytes);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var reported = new List<long>();
        try
        {
            await store.UploadFileAsync("models/big.zip", file, sha, new Progress(reported), CancellationToken.None);

            var digest = await store.DigestAsync("models/big.zip", null, CancellationToken.None);
            Assert.Equal((sha, (long)bytes.Length), (digest.Sha256, digest.SizeBytes));
            Assert.Equal(new StoredObject("models/big.zip", bytes.Length, sha), await store.FindAsync("models/big.zip", CancellationToken.None));
            Assert.Contains(proxy.Requests, r => r.Method == "POST" && r.Query.Contains("uploads", StringComparison.Ordinal));
            Assert.True(proxy.Requests.Count(r => r.Method == "PUT" && r.Query.Contains("partNumber", StringComparison.Ordinal)) >= 4);
            Assert.Equal(bytes.Length, reported.Max());
            Assert.Null(await store.FindAsync("models/missing.zip", CancellationToken.None));
            Assert.Null(await store.ReadAsync("models/missing.json", CancellationToken.None));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed class Progress(List<long> reported) : IProgress<long>
    {
        public void Report(long value)
        {
            lock (reported)
            {
                reported.Add(value);
            }
        }
    }
}

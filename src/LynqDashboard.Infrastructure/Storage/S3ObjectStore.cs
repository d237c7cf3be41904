using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Infrastructure.Storage;

/// <summary>
/// A bucket on S3 or an S3-compatible server. Files above the part size go up as multipart uploads; every
/// object carries its SHA-256 in its metadata; every failure becomes a <see cref="ObjectStoreException"/>.
/// </summary>
/// <param name="s3">The client (its retries and timeouts come from <paramref name="endpoint"/>).</param>
/// <param name="endpoint">How the client reaches S3, for messages.</param>
/// <param name="bucket">The bucket.</param>
/// <param name="partSizeBytes">Multipart part size and threshold (at least 5 MiB, S3's minimum part).</param>
public sealed class S3ObjectStore(Lazy<IAmazonS3> client, S3Endpoint endpoint, string bucket, long partSizeBytes = S3ObjectStore.DefaultPartSize) : IObjectStore
{
    public S3ObjectStore(IAmazonS3 s3, S3Endpoint endpoint, string bucket, long partSizeBytes = DefaultPartSize)
        : this(new Lazy<IAmazonS3>(s3), endpoint, bucket, partSizeBytes)
    {
    }

    public const long DefaultPartSize = 8L << 20;

    // Made on first use, inside the error translation: a client without a region fails to construct, and that must
    // read as a storage failure of the promotion that needed it, not break pages while promotion is off.
    private IAmazonS3 S3 => client.Value;
    public const string Sha256Metadata = "x-amz-meta-sha256";

    public string Bucket => bucket;

    public string Endpoint => endpoint.Describe();

    public Task EnsureBucketReachableAsync(CancellationToken cancellationToken) => CallAsync(null, "checking", async () =>
    {
        try
        {
            await S3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is not System.Net.HttpStatusCode.NotFound && string.IsNullOrEmpty(e.ResponseBody))
        {
            // A HEAD answer has no body, so no error code and no region hint: ask again with a GET, whose error
            // document says (e.g. AuthorizationHeaderMalformed, expecting 'eu-west-1'). Same permission: s3:ListBucket.
            await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 1 }, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }, cancellationToken);

    public Task ProbeWriteAsync(string key, CancellationToken cancellationToken) => CallAsync(key, "writing a test object to", async () =>
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "LynqDashboard write check; safe to delete." }, cancellationToken).ConfigureAwait(false);
        await S3.DeleteObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
    }, cancellationToken);

    public Task<StoredObject?> FindAsync(string key, CancellationToken cancellationToken) => CallAsync(key, "looking up", async () =>
    {
        try
        {
            var head = await S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false);
            return new StoredObject(key, head.ContentLength, head.Metadata[Sha256Metadata] is { Length: > 0 } sha ? sha : null);
        }
        catch (AmazonS3Exception e) when (S3Errors.IsMissing(e))
        {
            return (StoredObject?)null;
        }
    }, cancellationToken);

    public Task UploadFileAsync(string key, string path, string sha256, IProgress<long>? bytesSent, CancellationToken cancellationToken) => CallAsync(key, "uploading", async () =>
    {
        using var transfer = new TransferUtility(S3, new TransferUtilityConfig { MinSizeBeforePartUpload = partSizeBytes });
        var request = new TransferUtilityUploadRequest { BucketName = bucket, Key = key, FilePath = path, PartSize = partSizeBytes };
        request.Metadata.Add(Sha256Metadata, sha256);
        if (bytesSent is not null)
        {
            request.UploadProgressEvent += (_, e) => bytesSent.Report(e.TransferredBytes);
        }

        await transfer.UploadAsync(request, cancellationToken).ConfigureAwait(false);
    }, cancellationToken);

    public Task<ObjectDigest> DigestAsync(string key, IProgress<long>? bytesRead, CancellationToken cancellationToken) => CallAsync(key, "reading back", async () =>
    {
        using var response = await S3.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        return await CopyHashedAsync(response.ResponseStream, null, bytesRead, cancellationToken).ConfigureAwait(false);
    }, cancellationToken);

    public Task<ObjectDigest> DownloadFileAsync(string key, string path, CancellationToken cancellationToken) => CallAsync(key, "downloading", async () =>
    {
        using var response = await S3.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        await using var file = File.Create(path);
        return await CopyHashedAsync(response.ResponseStream, file, null, cancellationToken).ConfigureAwait(false);
    }, cancellationToken);

    public Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken) => CallAsync(key, "reading", async () =>
    {
        try
        {
            using var response = await S3.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            using var memory = new MemoryStream();
            await response.ResponseStream.CopyToAsync(memory, cancellationToken).ConfigureAwait(false);
            return memory.ToArray();
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey" || (S3Errors.IsMissing(e) && e.ErrorCode != "NoSuchBucket"))
        {
            return (byte[]?)null;
        }
    }, cancellationToken);

    public Task WriteAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) => CallAsync(key, "writing", async () =>
    {
        using var body = new MemoryStream(content.ToArray());
        var request = new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body, ContentType = contentType };
        request.Metadata.Add(Sha256Metadata, Convert.ToHexStringLower(SHA256.HashData(content.Span)));
        await S3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        CallAsync(key, "deleting", () => S3.DeleteObjectAsync(bucket, key, cancellationToken), cancellationToken);

    // One pass over the bytes: hashed, counted, and written on when there is a target.
    private static async Task<ObjectDigest> CopyHashedAsync(Stream source, Stream? target, IProgress<long>? bytesRead, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long size = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            if (target is not null)
            {
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            size += read;
            bytesRead?.Report(size);
        }

        return new ObjectDigest(Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    private async Task CallAsync(string? key, string doing, Func<Task> call, CancellationToken cancellationToken) =>
        await CallAsync(key, doing, async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    // The caller's own cancellation passes through; anything else (an HTTP timeout included) is a storage failure.
    private async Task<T> CallAsync<T>(string? key, string doing, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw S3Errors.Explain(e, endpoint, bucket, key, doing) ?? (Exception)new InvalidOperationException($"S3 call failed while {doing} s3://{bucket}/{key}: {e.Message}", e);
        }
    }
}

/// <summary>Opens <see cref="S3ObjectStore"/>s over one client, made when a store first needs it.</summary>
public sealed class S3ObjectStoreFactory(Lazy<IAmazonS3> client, S3Endpoint endpoint, long partSizeBytes = S3ObjectStore.DefaultPartSize) : IObjectStoreFactory
{
    public S3ObjectStoreFactory(IAmazonS3 s3, S3Endpoint endpoint, long partSizeBytes = S3ObjectStore.DefaultPartSize)
        : this(new Lazy<IAmazonS3>(s3), endpoint, partSizeBytes)
    {
    }

    public IObjectStore Open(string bucket) => new S3ObjectStore(client, endpoint, bucket, partSizeBytes);
}

namespace LynqDashboard.Core.Storage;

/// <summary>
/// The bucket a promotion writes to (S3 in the product). Implementations turn every storage failure into a
/// <see cref="ObjectStoreException"/> that carries the store's own error code and says in words what to do.
/// </summary>
public interface IObjectStore
{
    /// <summary>The bucket name.</summary>
    string Bucket { get; }

    /// <summary>Where the bucket lives, for messages (an endpoint URL or "AWS S3 eu-west-1"); never a credential.</summary>
    string Endpoint { get; }

    /// <summary>Fails unless the bucket exists and these credentials may see it.</summary>
    Task EnsureBucketReachableAsync(CancellationToken cancellationToken);

    /// <summary>Writes a tiny object at <paramref name="key"/> and removes it again: proves the credentials may write.</summary>
    Task ProbeWriteAsync(string key, CancellationToken cancellationToken);

    /// <summary>The object's size and recorded SHA-256 (from its metadata); null when there is no such object.</summary>
    Task<StoredObject?> FindAsync(string key, CancellationToken cancellationToken);

    /// <summary>Uploads a file (multipart when large), recording <paramref name="sha256"/> in its metadata.</summary>
    /// <param name="key">Object key.</param>
    /// <param name="path">Local file.</param>
    /// <param name="sha256">The file's SHA-256, lower-case hex.</param>
    /// <param name="bytesSent">Receives the bytes of this file sent so far; may be null.</param>
    /// <param name="cancellationToken">Stops the upload.</param>
    Task UploadFileAsync(string key, string path, string sha256, IProgress<long>? bytesSent, CancellationToken cancellationToken);

    /// <summary>Reads the whole object back and returns the SHA-256 and size of the bytes that arrived.</summary>
    Task<ObjectDigest> DigestAsync(string key, IProgress<long>? bytesRead, CancellationToken cancellationToken);

    /// <summary>Streams an object into a local file, hashing it on the way; returns what arrived.</summary>
    Task<ObjectDigest> DownloadFileAsync(string key, string path, CancellationToken cancellationToken);

    /// <summary>A small object's bytes (a manifest, a pointer, a config); null when there is no such object.</summary>
    Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Writes a small object in one request.</summary>
    Task WriteAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken);

    /// <summary>Removes an object; no error when it is already gone.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}

/// <summary>Opens the store of one bucket (promotions remember their bucket; the configured one may change later).</summary>
public interface IObjectStoreFactory
{
    IObjectStore Open(string bucket);
}

/// <param name="Key">Object key.</param>
/// <param name="SizeBytes">Size in bytes.</param>
/// <param name="Sha256">The SHA-256 recorded in its metadata at upload; null when none was recorded.</param>
public sealed record StoredObject(string Key, long SizeBytes, string? Sha256);

/// <param name="Sha256">Lower-case hex SHA-256 of the bytes read.</param>
/// <param name="SizeBytes">How many bytes were read.</param>
public sealed record ObjectDigest(string Sha256, long SizeBytes)
{
    /// <summary>True when these are the bytes recorded as <paramref name="sha256"/> and <paramref name="sizeBytes"/> (null: size not recorded).</summary>
    public bool Matches(string sha256, long? sizeBytes) => Sha256 == sha256 && (sizeBytes is not { } size || SizeBytes == size);
}

/// <summary>A storage failure in words people can act on, with the store's error code (NoSuchBucket, AccessDenied, Timeout …).</summary>
public sealed class ObjectStoreException : LynqException
{
    public ObjectStoreException(string code, string message, Exception? innerException = null)
        : base(ProblemKind.Unavailable, message, field: null, innerException) => Code = code;

    public ObjectStoreException()
        : this("Unknown", "The object store failed.")
    {
    }

    public ObjectStoreException(string message)
        : this("Unknown", message)
    {
    }

    public ObjectStoreException(string message, Exception innerException)
        : this("Unknown", message, innerException)
    {
    }

    /// <summary>The storage error code, or one of ours: ChecksumMismatch, Timeout, EndpointUnreachable, ConnectionLost.</summary>
    public string Code { get; }

    public const string ChecksumMismatch = "ChecksumMismatch";
    public const string PreflightFailed = "PreflightFailed";
}

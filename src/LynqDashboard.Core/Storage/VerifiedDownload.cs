namespace LynqDashboard.Core.Storage;

/// <summary>
/// The one way an object becomes a local file that something will use (a model a scoring node serves, a version's
/// files, a dataset): streamed into a temporary file beside the target, hashed on the way, and moved into place only
/// when its size and SHA-256 are the recorded ones, so a reader never finds changed or half-written bytes there.
/// </summary>
public static class VerifiedDownload
{
    /// <param name="store">The bucket.</param>
    /// <param name="key">The object.</param>
    /// <param name="path">Where the file goes; replaced only by bytes that match.</param>
    /// <param name="sha256">The SHA-256 the bytes must have (lower-case hex).</param>
    /// <param name="sizeBytes">The size they must have; null when none was recorded.</param>
    /// <param name="recordedBy">Who recorded them, for the message: "its manifest", "the registry".</param>
    /// <param name="cancellationToken">Stops the download; the temporary file is removed.</param>
    /// <exception cref="ObjectStoreException">With code <see cref="ObjectStoreException.ChecksumMismatch"/> when the bytes differ.</exception>
    public static async Task DownloadVerifiedAsync(this IObjectStore store, string key, string path, string sha256, long? sizeBytes, string recordedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sha256);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var digest = await store.DownloadFileAsync(key, temporary, cancellationToken).ConfigureAwait(false);
            if (!digest.Matches(sha256, sizeBytes))
            {
                throw new ObjectStoreException(ObjectStoreException.ChecksumMismatch,
                    $"s3://{store.Bucket}/{key} does not match {recordedBy}: it arrived as {digest.SizeBytes:N0} bytes with SHA-256 {digest.Sha256[..12]}…, " +
                    $"but {recordedBy} recorded {(sizeBytes is { } size ? $"{size:N0} bytes with " : string.Empty)}{sha256[..Math.Min(12, sha256.Length)]}…; it was not used.");
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}

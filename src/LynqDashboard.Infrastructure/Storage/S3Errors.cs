using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Infrastructure.Storage;

/// <summary>Turns what the AWS SDK throws into the S3 error code and words that say what happened and what to do.</summary>
public static partial class S3Errors
{
    /// <param name="error">What the SDK threw.</param>
    /// <param name="endpoint">Where requests went.</param>
    /// <param name="bucket">The bucket.</param>
    /// <param name="key">The object, when the call was about one.</param>
    /// <param name="doing">What was being done, as a phrase ("uploading", "reading back").</param>
    /// <returns>Null when <paramref name="error"/> is not a storage failure (a bug, or our own cancellation).</returns>
    public static ObjectStoreException? Explain(Exception error, S3Endpoint endpoint, string bucket, string? key, string doing)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(endpoint);
        var where = key is null ? $"s3://{bucket}" : $"s3://{bucket}/{key}";
        var s3 = Find<AmazonS3Exception>(error);
        var retries = endpoint.MaxRetries == 0 ? string.Empty : $" after {endpoint.MaxRetries + 1} attempts";
        if (s3 is not null && (s3.ErrorCode is { Length: > 0 } || (int)s3.StatusCode >= 300))
        {
            // HEAD answers carry no body: a 404 on the bucket itself is S3's NoSuchBucket.
            var code = s3.ErrorCode is { Length: > 0 } c ? c : s3.StatusCode.ToString();
            code = code == "NotFound" && key is null ? "NoSuchBucket" : code;
            return new ObjectStoreException(code, Describe(code, s3, endpoint, bucket, key, where, doing, retries), error);
        }

        if (Find<TimeoutException>(error) is not null || Find<TaskCanceledException>(error) is not null)
        {
            return new ObjectStoreException("Timeout",
                $"S3 at {endpoint.Describe()} did not answer within {endpoint.Timeout?.TotalSeconds ?? 100:0} s while {doing} {where}{retries}. Check the network path to S3 or raise Lynq:S3:TimeoutSeconds, then retry.", error);
        }

        if (Find<SocketException>(error) is { } socket && socket.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TryAgain)
        {
            return new ObjectStoreException("EndpointUnreachable",
                $"Could not reach S3 at {endpoint.Describe()} ({socket.Message}) while {doing} {where}{retries}. Check Lynq:S3:ServiceUrl (or Lynq:S3:Region) and that the endpoint is up, then retry.", error);
        }

        if (Find<HttpRequestException>(error) is not null || Find<IOException>(error) is not null || Find<SocketException>(error) is not null)
        {
            return new ObjectStoreException("ConnectionLost",
                $"The connection to S3 at {endpoint.Describe()} broke while {doing} {where}{retries} ({Innermost(error).Message}). Nothing was left half-written for readers; retry when the endpoint is stable.", error);
        }

        if (error is AmazonClientException { Message: var config } && config.Contains("No RegionEndpoint", StringComparison.Ordinal))
        {
            return new ObjectStoreException("NoRegion",
                "No region is configured for S3. Set Lynq:S3:Region (or AWS_REGION, or a profile's region); for an S3-compatible server set Lynq:S3:ServiceUrl.", error);
        }

        // The SDK compares the CRC that S3 stored with the bytes that arrived before our own SHA-256 even runs.
        if (error is AmazonClientException { Message: var text } && (text.Contains("hash", StringComparison.OrdinalIgnoreCase) || text.Contains("checksum", StringComparison.OrdinalIgnoreCase)))
        {
            return new ObjectStoreException(ObjectStoreException.ChecksumMismatch,
                $"{where} arrived with bytes whose checksum differs from the one S3 stored ({text}, while {doing}): the bytes changed on the way. Retry; if it persists, check proxies between this host and S3.", error);
        }

        return error is AmazonClientException client
            ? new ObjectStoreException("ClientError", $"The S3 client failed while {doing} {where}: {client.Message}", error)
            : null;
    }

    private static string Describe(string code, AmazonS3Exception e, S3Endpoint endpoint, string bucket, string? key, string where, string doing, string retries) => code switch
    {
        "NoSuchBucket" =>
            $"The bucket '{bucket}' does not exist at {endpoint.Describe()}. Create it, or name an existing one (Lynq:Promotion:Bucket for promotions, Lynq:Storage:ArtifactBucket for artifacts, S3_BUCKET for a scoring node).",
        "NoSuchKey" or "NotFound" => $"{where} does not exist.",
        "AccessDenied" or "Forbidden" or "AllAccessDisabled" or "AccountProblem" =>
            $"The AWS credentials in use may not do this: S3 refused {doing} {where}. Grant s3:GetObject, s3:PutObject and s3:DeleteObject on the models/ prefix and s3:ListBucket on the bucket, then retry.",
        "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" or "InvalidToken" or "TokenRefreshRequired" =>
            $"S3 rejected the credentials ({code}). Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the profile or the instance role of this process (they are never shown here), then retry.",
        "PermanentRedirect" or "AuthorizationHeaderMalformed" or "IllegalLocationConstraintException" or "MovedPermanently" =>
            ExpectedRegion($"{e.Message} {e.ResponseBody}") is { } region
                ? $"The bucket '{bucket}' is in region {region}, not the one this client uses. Set Lynq:S3:Region (or AWS_REGION) to {region}, then retry."
                : $"The bucket '{bucket}' is in another region than the one this client uses. Set Lynq:S3:Region (or AWS_REGION) to the bucket's region, then retry.",
        _ when code is "SlowDown" or "ServiceUnavailable" or "InternalError" or "RequestTimeout" || (int)e.StatusCode >= 500 =>
            $"S3 kept answering {code} ({(int)e.StatusCode}) while {doing} {where}{retries}: it is busy or failing. Nothing readers use was changed; retry in a few minutes.",
        _ => $"S3 answered {code} ({(int)e.StatusCode}) while {doing} {where}: {e.Message}",
    };

    private static string? ExpectedRegion(string message) => RegionHint().Match(message) is { Success: true } m ? m.Groups[1].Value : null;

    private static T? Find<T>(Exception error)
        where T : Exception
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception error)
    {
        var e = error;
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    [GeneratedRegex(@"(?:expecting '|<Region>)([a-z0-9-]+)")]
    private static partial Regex RegionHint();

    /// <summary>True for a missing object or bucket on a read (HEAD answers NotFound without a body).</summary>
    public static bool IsMissing(AmazonS3Exception e) =>
        (e ?? throw new ArgumentNullException(nameof(e))).StatusCode == HttpStatusCode.NotFound;
}

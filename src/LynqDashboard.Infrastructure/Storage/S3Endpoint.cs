using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace LynqDashboard.Infrastructure.Storage;

/// <summary>
/// How to reach S3: the one place S3 clients are configured (promotion and scoring nodes alike). Credentials are
/// never part of it: the client takes them from the standard AWS chain (environment, profile, instance role).
/// </summary>
/// <param name="Region">The bucket's region (e.g. eu-west-1); null lets the AWS chain decide (AWS_REGION, profile).</param>
/// <param name="ServiceUrl">An S3-compatible endpoint instead of AWS; null for AWS.</param>
/// <param name="ForcePathStyle">Path-style addressing, which S3-compatible servers usually need.</param>
/// <param name="Timeout">How long one request may take before it counts as failed (and is retried).</param>
/// <param name="MaxRetries">Retries of a request that failed transiently (5xx, throttling, broken connection, timeout), with backoff.</param>
public sealed record S3Endpoint(string? Region = null, string? ServiceUrl = null, bool ForcePathStyle = false, TimeSpan? Timeout = null, int MaxRetries = 3)
{
    /// <summary>A client with the standard AWS credential chain.</summary>
    public IAmazonS3 CreateClient() => new AmazonS3Client(CreateConfig());

    /// <summary>A client with explicit credentials (tests against a local server).</summary>
    public IAmazonS3 CreateClient(AWSCredentials credentials) => new AmazonS3Client(credentials, CreateConfig());

    /// <summary>Where requests go, for messages: the URL, or "AWS S3 (region)".</summary>
    public string Describe() => ServiceUrl is { Length: > 0 } url ? url : $"AWS S3 ({Region ?? "region from the AWS chain"})";

    private AmazonS3Config CreateConfig()
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = ForcePathStyle,
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = MaxRetries,
        };
        if (Timeout is { } timeout)
        {
            config.Timeout = timeout;
        }

        if (ServiceUrl is { Length: > 0 } url)
        {
            // The SDK finds AWS_REGION itself for AWS; for an S3-compatible endpoint the signing region is ours to set.
            config.ServiceURL = url;
            config.AuthenticationRegion = Region ?? (Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } chain ? chain : "us-east-1");
        }
        else if (Region is { Length: > 0 } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return config;
    }
}

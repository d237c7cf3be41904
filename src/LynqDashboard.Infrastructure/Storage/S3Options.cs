using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Infrastructure.Storage;

/// <summary>
/// The "Lynq:S3" section: how this process reaches S3, for every bucket it uses (promotions, the artifact bucket of
/// a scale-out, a scoring node's model). Bucket names stay with what uses them. Credentials are not here and never
/// will be: the client takes them from the standard AWS chain.
/// </summary>
public sealed partial class S3Options
{
    public const string Section = "Lynq:S3";

    /// <summary>The buckets' region; empty lets the AWS chain decide (AWS_REGION, profile).</summary>
    public string? Region { get; set; }

    /// <summary>An S3-compatible endpoint instead of AWS; empty for AWS.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Path-style addressing (S3-compatible servers usually need it).</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>Seconds one S3 request may take (1–3,600, default 60).</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Retries of a transient S3 failure, with backoff (0–10, default 3).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Multipart part size and threshold in MiB (5–512, default 8).</summary>
    public int PartSizeMiB { get; set; } = 8;

    public long PartSizeBytes => (long)PartSizeMiB << 20;

    public S3Endpoint ToEndpoint() => new(
        string.IsNullOrWhiteSpace(Region) ? null : Region.Trim(),
        string.IsNullOrWhiteSpace(ServiceUrl) ? null : ServiceUrl.Trim(),
        ForcePathStyle,
        TimeSpan.FromSeconds(TimeoutSeconds),
        MaxRetries);

    /// <summary>
    /// Each rule these settings break, as (property, what is wrong): the one set of rules, worded so that a
    /// configuration key or a command-line option can stand in front of it.
    /// </summary>
    public IEnumerable<(string Name, string Message)> Problems()
    {
        if (Region is { Length: > 0 } region && !RegionName().IsMatch(region.Trim()))
        {
            yield return (nameof(Region), $"'{region}' is not a region name such as eu-west-1");
        }

        if (ServiceUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            yield return (nameof(ServiceUrl), $"'{url}' is not an absolute URL");
        }

        if (TimeoutSeconds is < 1 or > 3_600)
        {
            yield return (nameof(TimeoutSeconds), $"must be between 1 and 3,600 (got {TimeoutSeconds})");
        }

        if (MaxRetries is < 0 or > 10)
        {
            yield return (nameof(MaxRetries), $"must be between 0 and 10 (got {MaxRetries})");
        }

        if (PartSizeMiB is < 5 or > 512)
        {
            yield return (nameof(PartSizeMiB), $"must be between 5 and 512 (got {PartSizeMiB}); S3 parts are at least 5 MiB");
        }
    }

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]$")]
    private static partial Regex RegionName();
}

/// <summary>Start-up validation of <see cref="S3Options"/>; each message names the key to fix.</summary>
/// <param name="keyOf">The key a message names for a property (default Lynq:S3:{property}); a host that still reads an old key names that one.</param>
public sealed class S3OptionsValidator(Func<string, string>? keyOf = null) : IValidateOptions<S3Options>
{
    private readonly Func<string, string> _keyOf = keyOf ?? (property => $"{S3Options.Section}:{property}");

    public ValidateOptionsResult Validate(string? name, S3Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Problems().Select(p => $"{_keyOf(p.Name)} {p.Message}.").ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using System.Text.RegularExpressions;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Configuration;

/// <summary>
/// The "Lynq:Promotion" section: where promotions go. Off until Bucket is set. Credentials are not here and
/// never will be: the S3 client takes them from the standard AWS chain.
/// </summary>
public sealed class PromotionOptions
{
    public const string Section = "Lynq:Promotion";

    /// <summary>The bucket; empty turns promotion off. LYNQ_PROMOTION_BUCKET sets it.</summary>
    public string? Bucket { get; set; }

    /// <summary>The bucket's region; empty lets the AWS chain decide (AWS_REGION, profile).</summary>
    public string? Region { get; set; }

    /// <summary>Prefix of a version's objects; must hold {version} (default models/credit_model_v{version}).</summary>
    public string KeyPrefixTemplate { get; set; } = PromotionLayout.DefaultPrefixTemplate;

    /// <summary>The production pointer object scoring nodes follow (default models/production.json).</summary>
    public string PointerKey { get; set; } = PromotionLayout.DefaultPointerKey;

    /// <summary>An S3-compatible endpoint instead of AWS; empty for AWS.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Path-style addressing (S3-compatible servers usually need it).</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>Multipart part size and threshold in MiB (5–512, default 8).</summary>
    public int PartSizeMiB { get; set; } = 8;

    /// <summary>Seconds one S3 request may take (default 60).</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Retries of a transient S3 failure, with backoff (default 3).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Quality a version needs to reach production.</summary>
    public PromotionGateOptions Gates { get; set; } = new();

    public PromotionTarget ToTarget() => new(string.IsNullOrWhiteSpace(Bucket) ? null : Bucket.Trim(), KeyPrefixTemplate, PointerKey);

    public S3Endpoint ToEndpoint() => new(
        string.IsNullOrWhiteSpace(Region) ? null : Region.Trim(),
        string.IsNullOrWhiteSpace(ServiceUrl) ? null : ServiceUrl.Trim(),
        ForcePathStyle,
        TimeSpan.FromSeconds(TimeoutSeconds),
        MaxRetries);
}

public sealed class PromotionGateOptions
{
    public double MinRocAuc { get; set; } = new PromotionGates().MinRocAuc;

    public double MaxCalibrationError { get; set; } = new PromotionGates().MaxCalibrationError;

    public double? MaxBrier { get; set; }

    public PromotionGates ToGates() => new(MinRocAuc, MaxCalibrationError, MaxBrier);
}

/// <summary>Start-up validation of the promotion section; each message names the key to fix.</summary>
public sealed partial class PromotionOptionsValidator : IValidateOptions<PromotionOptions>
{
    public ValidateOptionsResult Validate(string? name, PromotionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var s = PromotionOptions.Section;
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Bucket) && !BucketName().IsMatch(options.Bucket.Trim()))
        {
            failures.Add($"{s}:Bucket '{options.Bucket}' is not a valid bucket name (3–63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit).");
        }

        if (PromotionLayout.Problem(options.KeyPrefixTemplate, isTemplate: true) is { } prefixProblem)
        {
            failures.Add($"{s}:KeyPrefixTemplate {prefixProblem}.");
        }

        if (PromotionLayout.Problem(options.PointerKey, isTemplate: false) is { } pointerProblem)
        {
            failures.Add($"{s}:PointerKey {pointerProblem}.");
        }

        if (options.ServiceUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            failures.Add($"{s}:ServiceUrl '{url}' is not an absolute URL.");
        }

        if (options.Region is { Length: > 0 } region && !RegionName().IsMatch(region.Trim()))
        {
            failures.Add($"{s}:Region '{region}' is not a region name such as eu-west-1.");
        }

        if (options.PartSizeMiB is < 5 or > 512)
        {
            failures.Add($"{s}:PartSizeMiB must be between 5 and 512 (got {options.PartSizeMiB}); S3 parts are at least 5 MiB.");
        }

        if (options.TimeoutSeconds is < 1 or > 3_600)
        {
            failures.Add($"{s}:TimeoutSeconds must be between 1 and 3,600 (got {options.TimeoutSeconds}).");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add($"{s}:MaxRetries must be between 0 and 10 (got {options.MaxRetries}).");
        }

        failures.AddRange(options.Gates.ToGates().Validate().Select(e => $"{s}:Gates:{e.Name} {e.Message}."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]$")]
    private static partial Regex RegionName();
}

using System.Text.RegularExpressions;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Configuration;

/// <summary>
/// The "Lynq:Promotion" section: where promotions go. Off until Bucket is set. How S3 is reached is Lynq:S3's
/// (<see cref="S3Options"/>); credentials are in neither and never will be: the S3 client takes them from the
/// standard AWS chain.
/// </summary>
public sealed class PromotionOptions
{
    public const string Section = "Lynq:Promotion";

    /// <summary>The bucket; empty turns promotion off. LYNQ_PROMOTION_BUCKET sets it.</summary>
    public string? Bucket { get; set; }

    /// <summary>Prefix of a version's objects; must hold {version} (default models/credit_model_v{version}).</summary>
    public string KeyPrefixTemplate { get; set; } = PromotionLayout.DefaultPrefixTemplate;

    /// <summary>The production pointer object scoring nodes follow (default models/production.json).</summary>
    public string PointerKey { get; set; } = PromotionLayout.DefaultPointerKey;

    /// <summary>Quality a version needs to reach production.</summary>
    public PromotionGateOptions Gates { get; set; } = new();

    public PromotionTarget ToTarget() => new(string.IsNullOrWhiteSpace(Bucket) ? null : Bucket.Trim(), KeyPrefixTemplate, PointerKey);
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

        failures.AddRange(options.Gates.ToGates().Validate().Select(e => $"{s}:Gates:{e.Name} {e.Message}."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}

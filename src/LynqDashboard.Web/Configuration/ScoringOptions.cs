using LynqDashboard.Core.Scoring;
using LynqDashboard.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Configuration;

/// <summary>The "Lynq:Scoring" section: who may call the scoring API, how often, and the risk policy.</summary>
public sealed class ScoringOptions
{
    public const string Section = "Lynq:Scoring";

    /// <summary>Accepted X-API-KEY values; LYNQ_API_KEYS (comma-separated) adds more. With none, the API answers 401.</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Requests per minute allowed for each key (default 60,000).</summary>
    public int PermitsPerMinute { get; set; } = 60_000;

    /// <summary>Wrong API keys one client address (an IPv6 /64) may send before it gets 429 (default 10).</summary>
    public int FailedKeyLimit { get; set; } = 10;

    /// <summary>The window those wrong keys are counted in, and how long the address then waits (default 60 s).</summary>
    public int FailedKeyWindowSeconds { get; set; } = 60;

    /// <summary>How often the serving model is checked against the registry, in seconds (default 5).</summary>
    public int RefreshSeconds { get; set; } = 5;

    /// <summary>Largest batch accepted (default 10,000 applications).</summary>
    public int MaxBatch { get; set; } = 10_000;

    /// <summary>
    /// The risk policy stored as version 2 when the registry holds none yet (first start; empty bands mean the default
    /// policy's). From then on the registry's active version decides, and new versions are saved on the Policy page.
    /// </summary>
    public RiskPolicyOptions RiskPolicy { get; set; } = new();

    /// <summary>Where the serving model comes from: "local" (the registry) or "s3". MODEL_SOURCE sets it, as in the original service.</summary>
    public string ModelSource { get; set; } = "local";

    /// <summary>The bucket a scoring node reads (S3_BUCKET).</summary>
    public string? S3Bucket { get; set; }

    /// <summary>The production pointer or a version's manifest (S3_KEY; default models/production.json).</summary>
    public string S3Key { get; set; } = "models/production.json";

    /// <summary>Model folders a scoring node keeps in data/s3-cache, the serving one included (default 3).</summary>
    public int S3CacheKeep { get; set; } = 3;

    public bool UsesS3 => string.Equals(ModelSource, "s3", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where a scoring node with MODEL_SOURCE=s3 reads its model; how S3 is reached (region, endpoint) is Lynq:S3's.</summary>
    public S3ModelLocation ToModelLocation() => new(S3Bucket?.Trim() ?? string.Empty, S3Key, S3CacheKeep);
}

/// <summary>A bindable risk policy (configuration cannot bind the immutable Core record directly); unset values are the default policy's.</summary>
public sealed class RiskPolicyOptions
{
    private static RiskPolicy Defaults => Core.Scoring.RiskPolicy.Default;

    public string Name { get; set; } = Defaults.Name;

    public int Version { get; set; } = Defaults.Version;

    public double BaseRatePercent { get; set; } = Defaults.BaseRatePercent;

    public double CollateralCap { get; set; } = Defaults.CollateralCap;

    public double MinCollateralRatio { get; set; } = Defaults.MinCollateralRatio;

    public double FraudReviewScore { get; set; } = Defaults.FraudReviewScore;

    public bool CapLoanAtMaximum { get; set; } = Defaults.CapLoanAtMaximum;

    public List<RiskBandOptions> Bands { get; set; } = [];

    public RiskPolicy ToPolicy() => new()
    {
        Name = Name,
        Version = Version,
        BaseRatePercent = BaseRatePercent,
        CollateralCap = CollateralCap,
        MinCollateralRatio = MinCollateralRatio,
        FraudReviewScore = FraudReviewScore,
        CapLoanAtMaximum = CapLoanAtMaximum,
        Bands = Bands.Count == 0 ? Defaults.Bands : [.. Bands.Select(b => new RiskBand(b.Level, b.UpperPd, b.Action, b.RatePremium, b.LoanCapMultiplier))],
    };
}

public sealed class RiskBandOptions
{
    public RiskLevel Level { get; set; }

    public double UpperPd { get; set; }

    public RecommendedAction Action { get; set; }

    public double RatePremium { get; set; }

    public double LoanCapMultiplier { get; set; } = 1;
}

/// <summary>Start-up validation of the scoring section; each message names the key to fix.</summary>
public sealed class ScoringOptionsValidator : IValidateOptions<ScoringOptions>
{
    public ValidateOptionsResult Validate(string? name, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.PermitsPerMinute is < 1 or > 10_000_000)
        {
            failures.Add($"{ScoringOptions.Section}:PermitsPerMinute must be between 1 and 10,000,000 (got {options.PermitsPerMinute}).");
        }

        if (options.FailedKeyLimit is < 1 or > 10_000)
        {
            failures.Add($"{ScoringOptions.Section}:FailedKeyLimit must be between 1 and 10,000 (got {options.FailedKeyLimit}).");
        }

        if (options.FailedKeyWindowSeconds is < 1 or > 86_400)
        {
            failures.Add($"{ScoringOptions.Section}:FailedKeyWindowSeconds must be between 1 and 86,400 (got {options.FailedKeyWindowSeconds}).");
        }

        if (options.RefreshSeconds is < 1 or > 3_600)
        {
            failures.Add($"{ScoringOptions.Section}:RefreshSeconds must be between 1 and 3,600 (got {options.RefreshSeconds}).");
        }

        if (options.MaxBatch is < 1 or > 100_000)
        {
            failures.Add($"{ScoringOptions.Section}:MaxBatch must be between 1 and 100,000 (got {options.MaxBatch}).");
        }

        if (options.S3CacheKeep is < 1 or > 100)
        {
            failures.Add($"{ScoringOptions.Section}:S3CacheKeep must be between 1 and 100 (got {options.S3CacheKeep}).");
        }

        if (options.ApiKeys.Any(k => string.IsNullOrWhiteSpace(k) || k.Length < Scoring.ApiKeyRing.MinimumLength))
        {
            failures.Add($"{ScoringOptions.Section}:ApiKeys holds a key shorter than {Scoring.ApiKeyRing.MinimumLength} characters; use long random keys.");
        }

        // Never the key itself in the message: start-up errors reach logs.
        if (Scoring.ApiKeyRing.KeysFromEnvironment().Any(k => k.Length < Scoring.ApiKeyRing.MinimumLength))
        {
            failures.Add($"{Scoring.ApiKeyRing.EnvironmentVariable} holds a key shorter than {Scoring.ApiKeyRing.MinimumLength} characters; use long random keys, separated by commas.");
        }

        if (!options.UsesS3 && !string.Equals(options.ModelSource, "local", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"MODEL_SOURCE (or {ScoringOptions.Section}:ModelSource) is '{options.ModelSource}'; use 'local' (the registry) or 's3'.");
        }

        if (options.UsesS3 && string.IsNullOrWhiteSpace(options.S3Bucket))
        {
            failures.Add($"S3_BUCKET (or {ScoringOptions.Section}:S3Bucket) must name the bucket when MODEL_SOURCE=s3.");
        }

        failures.AddRange(options.RiskPolicy.ToPolicy().Validate().Select(e => $"{ScoringOptions.Section}:RiskPolicy:{e.Key} {e.Message}."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

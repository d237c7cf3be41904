namespace LynqDashboard.Core.Promotion;

/// <summary>Where promotions go: the bucket (null while promotion is off), the key prefix template and the pointer key.</summary>
/// <param name="Bucket">The bucket; null or empty turns promotion off.</param>
/// <param name="KeyPrefixTemplate">Prefix of a version's objects, holding {version} (default models/credit_model_v{version}).</param>
/// <param name="PointerKey">The production pointer readers follow (default models/production.json).</param>
public sealed record PromotionTarget(
    string? Bucket,
    string KeyPrefixTemplate = PromotionLayout.DefaultPrefixTemplate,
    string PointerKey = PromotionLayout.DefaultPointerKey)
{
    public bool IsEnabled => !string.IsNullOrWhiteSpace(Bucket);

    /// <summary>The bucket a promotion record names: empty while promotion to S3 is off (production is then the registry's designation).</summary>
    public string RecordBucket => IsEnabled ? Bucket! : string.Empty;

    /// <summary>The pointer a promotion record names; empty without a bucket.</summary>
    public string RecordPointerKey => IsEnabled ? PointerKey : string.Empty;
}

namespace LynqDashboard.Web.Configuration;

/// <summary>
/// The short environment variable names deployments already use (the original service's MODEL_SOURCE, S3_BUCKET,
/// S3_KEY, and LYNQ_DATA_DIR, LYNQ_ROLE, LYNQ_STORAGE, LYNQ_DB, LYNQ_ARTIFACT_BUCKET, LYNQ_PROMOTION_BUCKET, LYNQ_REQUIRE_SECOND_APPROVER, LYNQ_ADMIN_EMAIL, LYNQ_ADMIN_PASSWORD, LYNQ_OIDC_CLIENT_SECRET, LYNQ_KNOWN_PROXIES, LYNQ_KNOWN_NETWORKS), mapped onto configuration keys in one place. Set, they win over
/// appsettings.json. LYNQ_API_KEYS is a list merged with the configured keys, so ApiKeyRing reads it (and the
/// scoring validator checks it); the two proxy lists are comma-separated in one variable. AWS_REGION is not mapped:
/// like the rest of the AWS chain it is read where Lynq:S3:Region is not set (S3Endpoint), so a configured region wins.
/// </summary>
public static class EnvironmentAliases
{
    private static readonly (string Variable, string Key)[] Aliases =
    [
        ("LYNQ_DATA_DIR", $"{LynqOptions.Section}:{nameof(LynqOptions.DataDirectory)}"),
        ("LYNQ_ROLE", $"{LynqOptions.Section}:{nameof(LynqOptions.Role)}"),
        ("LYNQ_STORAGE", $"{StorageOptions.Section}:{nameof(StorageOptions.Provider)}"),
        ("LYNQ_DB", $"{StorageOptions.Section}:{nameof(StorageOptions.ConnectionString)}"),
        ("LYNQ_ARTIFACT_BUCKET", $"{StorageOptions.Section}:{nameof(StorageOptions.ArtifactBucket)}"),
        ("MODEL_SOURCE", $"{ScoringOptions.Section}:{nameof(ScoringOptions.ModelSource)}"),
        ("S3_BUCKET", $"{ScoringOptions.Section}:{nameof(ScoringOptions.S3Bucket)}"),
        ("S3_KEY", $"{ScoringOptions.Section}:{nameof(ScoringOptions.S3Key)}"),
        ("LYNQ_PROMOTION_BUCKET", $"{PromotionOptions.Section}:{nameof(PromotionOptions.Bucket)}"),
        ("LYNQ_REQUIRE_SECOND_APPROVER", $"{GovernanceOptions.Section}:{nameof(GovernanceOptions.RequireSecondApprover)}"),
        ("LYNQ_ADMIN_EMAIL", $"{Security.AuthOptions.Section}:{nameof(Security.AuthOptions.AdminEmail)}"),
        ("LYNQ_ADMIN_PASSWORD", $"{Security.AuthOptions.Section}:{nameof(Security.AuthOptions.AdminPassword)}"),
        ("LYNQ_OIDC_CLIENT_SECRET", $"{Security.AuthOptions.Section}:Oidc:{nameof(Security.OidcOptions.ClientSecret)}"),
        ("LYNQ_KNOWN_PROXIES", $"{Security.ProxyOptions.Section}:{nameof(Security.ProxyOptions.KnownProxies)}:0"),
        ("LYNQ_KNOWN_NETWORKS", $"{Security.ProxyOptions.Section}:{nameof(Security.ProxyOptions.KnownNetworks)}:0"),
    ];

    public static void Apply(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var (variable, key) in Aliases)
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
            {
                configuration[key] = value;
            }
        }
    }
}

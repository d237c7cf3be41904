using System.Globalization;
using System.Text.RegularExpressions;

namespace LynqDashboard.Core.Promotion;

/// <summary>
/// Where a version's objects go (compatible with the original uploader): for prefix P, <c>P.zip</c> (the ML.NET
/// model), <c>P_config.json</c> (feature_config.json), <c>P_report.pdf</c> (the documentation pack, when the version has
/// one) and <c>P_manifest.json</c>, written last.
/// </summary>
public static partial class PromotionLayout
{
    public const string VersionPlaceholder = "{version}";
    public const string DefaultPrefixTemplate = "models/credit_model_v{version}";
    public const string DefaultPointerKey = "models/production.json";

    /// <summary>P for a version number, from a template holding {version}.</summary>
    public static string Prefix(string template, int version)
    {
        ArgumentNullException.ThrowIfNull(template);
        return template.Replace(VersionPlaceholder, version.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>The shadow pointer beside the production pointer: its key with "production" → "shadow" (models/shadow.json).</summary>
    public static string ShadowPointerKey(string productionPointerKey) => Beside(productionPointerKey, "shadow");

    /// <summary>The A/B split pointer beside the production pointer (models/split.json): the challenger's manifest and the percent.</summary>
    public static string SplitPointerKey(string productionPointerKey) => Beside(productionPointerKey, "split");

    public static string ModelKey(string prefix) => $"{prefix}.zip";

    public static string ConfigKey(string prefix) => $"{prefix}_config.json";

    public static string ManifestKey(string prefix) => $"{prefix}_manifest.json";

    public static string ReportKey(string prefix) => $"{prefix}_report.pdf";

    /// <summary>The version-folder file a manifest role is uploaded from: model.zip, feature_config.json or model_report.pdf.</summary>
    public static string FileOf(string role) => role switch
    {
        Storage.PromotionManifest.ModelRole => Artifacts.ModelArtifacts.ModelFile,
        Storage.PromotionManifest.ConfigRole => Artifacts.ModelArtifacts.FeatureConfigFile,
        Storage.PromotionManifest.ReportRole => Artifacts.IModelReports.PdfFile,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "A manifest role is model, config or report."),
    };

    /// <summary>A short-lived object next to the version's objects that proves the credentials may write there.</summary>
    public static string WriteProbeKey(string prefix)
    {
        var slash = prefix.LastIndexOf('/');
        var folder = slash < 0 ? string.Empty : prefix[..(slash + 1)];
        return $"{folder}.lynq-write-check-{Guid.NewGuid():N}";
    }

    // A pointer key without the word "production" (a custom one) gets the sibling name in front of its file name.
    private static string Beside(string productionPointerKey, string name)
    {
        ArgumentNullException.ThrowIfNull(productionPointerKey);
        if (productionPointerKey.Contains("production", StringComparison.Ordinal))
        {
            return productionPointerKey.Replace("production", name, StringComparison.Ordinal);
        }

        var slash = productionPointerKey.LastIndexOf('/');
        return $"{productionPointerKey[..(slash + 1)]}{name}-{productionPointerKey[(slash + 1)..]}";
    }

    /// <summary>Why a key or template is unusable, or null when it is fine.</summary>
    /// <param name="key">An object key or prefix template.</param>
    /// <param name="isTemplate">True for a prefix template, which must contain {version}.</param>
    public static string? Problem(string? key, bool isTemplate)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return "is empty";
        }

        if (isTemplate && !key.Contains(VersionPlaceholder, StringComparison.Ordinal))
        {
            return $"must contain {VersionPlaceholder} (e.g. {DefaultPrefixTemplate})";
        }

        var plain = key.Replace(VersionPlaceholder, "1", StringComparison.Ordinal);
        if (plain.StartsWith('/') || plain.EndsWith('/') || plain.Contains("//", StringComparison.Ordinal) || plain.Split('/').Any(p => p is "." or ".."))
        {
            return "must be a relative key such as models/credit_model_v{version} (no leading or trailing '/', no '.' or '..' parts)";
        }

        return SafeKey().IsMatch(plain) ? null : "may use only letters, digits and ! - _ . * ' ( ) /";
    }

    // The characters AWS lists as safe in object keys.
    [GeneratedRegex(@"^[A-Za-z0-9!\-_.*'()/]{1,900}$")]
    private static partial Regex SafeKey();
}

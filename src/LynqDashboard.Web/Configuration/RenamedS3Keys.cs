using LynqDashboard.Infrastructure.Storage;

namespace LynqDashboard.Web.Configuration;

/// <summary>
/// The keys the S3 settings had before they became one section (<see cref="S3Options.Section"/>): promotion's
/// Lynq:Promotion:Region… and a scoring node's Lynq:Scoring:S3Region…. Each is still read where its Lynq:S3 key is
/// not set, each one found is logged once at start-up naming the key to use instead, and a validation message names
/// the old key its value came from, so a deployment that has not renamed them yet starts as before.
/// </summary>
public sealed class RenamedS3Keys
{
    // Old key → the Lynq:S3 property it now is. Where two name one property, the first found is used.
    private static readonly (string OldKey, string Property)[] Renames =
    [
        ($"{PromotionOptions.Section}:Region", nameof(S3Options.Region)),
        ($"{PromotionOptions.Section}:ServiceUrl", nameof(S3Options.ServiceUrl)),
        ($"{PromotionOptions.Section}:ForcePathStyle", nameof(S3Options.ForcePathStyle)),
        ($"{PromotionOptions.Section}:TimeoutSeconds", nameof(S3Options.TimeoutSeconds)),
        ($"{PromotionOptions.Section}:MaxRetries", nameof(S3Options.MaxRetries)),
        ($"{PromotionOptions.Section}:PartSizeMiB", nameof(S3Options.PartSizeMiB)),
        ($"{ScoringOptions.Section}:S3Region", nameof(S3Options.Region)),
        ($"{ScoringOptions.Section}:S3ServiceUrl", nameof(S3Options.ServiceUrl)),
        ($"{ScoringOptions.Section}:S3ForcePathStyle", nameof(S3Options.ForcePathStyle)),
    ];

    private readonly Dictionary<string, (string OldKey, string Value)> _used;

    private RenamedS3Keys(IReadOnlyList<OldS3Key> found, Dictionary<string, (string, string)> used) => (Found, _used) = (found, used);

    /// <summary>Every old key that is set, in the order above.</summary>
    public IReadOnlyList<OldS3Key> Found { get; }

    public static RenamedS3Keys Find(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(S3Options.Section);
        var found = new List<OldS3Key>();
        var used = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var (oldKey, property) in Renames)
        {
            if (configuration[oldKey] is not { Length: > 0 } value)
            {
                continue;
            }

            var ignoredFor = section[property] is not null ? $"{S3Options.Section}:{property}" : used.TryGetValue(property, out var first) ? first.Item1 : null;
            if (ignoredFor is null)
            {
                used[property] = (oldKey, value);
            }

            found.Add(new OldS3Key(oldKey, $"{S3Options.Section}:{property}", ignoredFor));
        }

        return new RenamedS3Keys(found, used);
    }

    /// <summary>Sets what the old keys hold, converted as the section's own keys are; the section is bound over it.</summary>
    public void FillIn(S3Options options) =>
        new ConfigurationBuilder().AddInMemoryCollection(_used.Select(u => KeyValuePair.Create(u.Key, (string?)u.Value.Value))).Build().Bind(options);

    /// <summary>The key a validation message names: the old key the value came from, or the Lynq:S3 one.</summary>
    public string KeyOf(string property) => _used.TryGetValue(property, out var old)
        ? $"{old.OldKey} (renamed {S3Options.Section}:{property})"
        : $"{S3Options.Section}:{property}";
}

/// <param name="OldKey">The key as it was (Lynq:Promotion:Region).</param>
/// <param name="NewKey">The key to use instead (Lynq:S3:Region).</param>
/// <param name="IgnoredFor">The key that sets the value instead, when this one is not used; null when it is.</param>
public sealed record OldS3Key(string OldKey, string NewKey, string? IgnoredFor);

/// <summary>Logs each old S3 key once when the host starts, with the key to rename it to.</summary>
public sealed class RenamedS3KeysWarning(RenamedS3Keys renamed, ILogger<RenamedS3Keys> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var key in renamed.Found)
        {
            if (key.IgnoredFor is null)
            {
                logger.LogWarning("{OldKey} is an old configuration key: rename it to {NewKey}. Its value is used until then.", key.OldKey, key.NewKey);
            }
            else
            {
                logger.LogWarning("{OldKey} is an old configuration key and is ignored because {UsedKey} is set: remove it (the setting is {NewKey}).", key.OldKey, key.IgnoredFor, key.NewKey);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using LynqDashboard.Core.Scoring;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Configuration;

/// <summary>
/// The "Lynq:Reasons" section: changes to the embedded reason catalogue (<see cref="ReasonCatalogue.Default"/>). Entries
/// name a feature and replace its code, its sentence or both; features not named keep the default's. Unset, every answer
/// cites the default catalogue.
/// </summary>
public sealed class ReasonsOptions
{
    public const string Section = "Lynq:Reasons";

    /// <summary>The catalogue version answers cite; required, and different from the default's, once any entry changes.</summary>
    public string? Version { get; set; }

    /// <summary>Per feature name (e.g. "reputation_score"), the code and/or sentence to use instead of the default's.</summary>
    public Dictionary<string, ReasonEntryOptions> Entries { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public ReasonCatalogue ToCatalogue() =>
        ReasonCatalogue.Default.With(Version, Entries.Select(e => KeyValuePair.Create(e.Key, (e.Value?.Code, e.Value?.Reason))));
}

/// <summary>One feature's reason; an unset value keeps the default's.</summary>
public sealed class ReasonEntryOptions
{
    public string? Code { get; set; }

    public string? Reason { get; set; }
}

/// <summary>Start-up validation of the reasons section; each message names the key to fix.</summary>
public sealed class ReasonsOptionsValidator : IValidateOptions<ReasonsOptions>
{
    public ValidateOptionsResult Validate(string? name, ReasonsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var s = ReasonsOptions.Section;
        var catalogue = options.ToCatalogue();
        var failures = catalogue.Validate().Select(e => $"{s}:{e.Key} {e.Message}.").ToList();

        // An answer cites a version; the same version with other sentences would make two answers citing it mean different things.
        var changed = catalogue.Entries.Count != ReasonCatalogue.Default.Entries.Count
                      || catalogue.Entries.Any(e => !ReasonCatalogue.Default.Entries.TryGetValue(e.Key, out var d) || d != e.Value);
        if (changed && string.Equals(catalogue.Version, ReasonCatalogue.Default.Version, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{s}:Version must be set, and differ from the default's '{ReasonCatalogue.Default.Version}', when {s}:Entries changes a code or sentence (e.g. \"reasons-2\").");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

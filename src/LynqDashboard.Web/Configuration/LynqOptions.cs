using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Configuration;

/// <summary>The "Lynq" configuration section.</summary>
public sealed class LynqOptions
{
    public const string Section = "Lynq";

    /// <summary>Where the registry, datasets and models live; relative paths start at the working directory. LYNQ_DATA_DIR overrides it.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Background jobs run at once (default 1: one training at a time on a 2-core box).</summary>
    public int Workers { get; set; } = 1;

    /// <summary>What this process does: All (default), Web, Worker or Scoring. LYNQ_ROLE overrides it.</summary>
    public ProcessRole Role { get; set; } = ProcessRole.All;

    /// <summary>Largest dataset the dashboard lets a person ask for.</summary>
    public int MaxRows { get; set; } = Core.Data.DatasetParameters.MaxRows;
}

/// <summary>Start-up validation: each message names the key to fix.</summary>
public sealed class LynqOptionsValidator : IValidateOptions<LynqOptions>
{
    public ValidateOptionsResult Validate(string? name, LynqOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add($"{LynqOptions.Section}:DataDirectory must name a folder (or set LYNQ_DATA_DIR).");
        }
        else if (options.DataDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"{LynqOptions.Section}:DataDirectory '{options.DataDirectory}' is not a valid path.");
        }

        if (options.Workers is < 1 or > 16)
        {
            failures.Add($"{LynqOptions.Section}:Workers must be between 1 and 16 (got {options.Workers}).");
        }

        if (options.MaxRows is < 1 or > Core.Data.DatasetParameters.MaxRows)
        {
            failures.Add($"{LynqOptions.Section}:MaxRows must be between 1 and {Core.Data.DatasetParameters.MaxRows:N0} (got {options.MaxRows:N0}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

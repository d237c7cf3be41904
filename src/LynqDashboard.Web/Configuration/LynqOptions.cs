using Microsoft.Extensions.Options;
using LynqDashboard.Core.Storage;

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

    /// <summary>The "Lynq:Jobs" section: how runs whose job vanished are found.</summary>
    public JobsOptions Jobs { get; set; } = new();
}

/// <summary>The "Lynq:Jobs" section.</summary>
public sealed class JobsOptions
{
    public const string Section = "Lynq:Jobs";

    /// <summary>How often active runs are checked against the job store, in seconds (default 30; also once at start).</summary>
    public int RecoverySeconds { get; set; } = 30;

    /// <summary>How long a Queued record may have no job before it counts as lost, in seconds (default 120).</summary>
    public int QueuedWithoutJobSeconds { get; set; } = 120;

    /// <summary>Heartbeat age after which a job server counts as gone, in seconds (default 120; Hangfire beats every 30 s).</summary>
    public int ServerGoneSeconds { get; set; } = 120;
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

        var jobs = options.Jobs ?? new JobsOptions();
        if (jobs.RecoverySeconds is < 1 or > 3_600)
        {
            failures.Add($"{JobsOptions.Section}:RecoverySeconds must be between 1 and 3600 (got {jobs.RecoverySeconds}).");
        }

        if (jobs.QueuedWithoutJobSeconds is < 1 or > 86_400)
        {
            failures.Add($"{JobsOptions.Section}:QueuedWithoutJobSeconds must be between 1 and 86400 (got {jobs.QueuedWithoutJobSeconds}).");
        }

        if (jobs.ServerGoneSeconds is < 60 or > 86_400)
        {
            failures.Add($"{JobsOptions.Section}:ServerGoneSeconds must be between 60 and 86400 (got {jobs.ServerGoneSeconds}); below 60 a live server that misses one heartbeat looks gone.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

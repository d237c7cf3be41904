using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LynqDashboard.Web.Configuration;

/// <summary>Where the shared state lives.</summary>
public enum StorageProvider
{
    /// <summary>One process: Hangfire in memory, the registry in a SQLite file, artifacts in the data folder.</summary>
    Embedded,

    /// <summary>Several processes: Hangfire, the registry and identity on PostgreSQL, artifacts in an S3 bucket.</summary>
    PostgreSQL,
}

/// <summary>What this process does. The same build runs as any of them.</summary>
public enum ProcessRole
{
    /// <summary>Dashboard, API, scoring and the job server in one process (the default).</summary>
    All,

    /// <summary>Dashboard and API; it enqueues jobs and shows their progress from the shared database, but runs none.</summary>
    Web,

    /// <summary>The Hangfire job server only; HTTP answers /health and /metrics and nothing else.</summary>
    Worker,

    /// <summary>The scoring API only, serving the production model from S3.</summary>
    Scoring,
}

/// <summary>The "Lynq:Storage" configuration section, plus the role (Lynq:Role, LYNQ_ROLE).</summary>
public sealed class StorageOptions
{
    public const string Section = "Lynq:Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Embedded;

    /// <summary>PostgreSQL connection string (LYNQ_DB); required for PostgreSQL.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Schema of the registry and identity tables.</summary>
    public string Schema { get; set; } = "lynq";

    /// <summary>Schema of Hangfire's tables.</summary>
    public string JobsSchema { get; set; } = "hangfire";

    /// <summary>Bucket holding datasets and version folders so every process can read them (LYNQ_ARTIFACT_BUCKET); required for PostgreSQL. How S3 is reached is Lynq:S3's.</summary>
    public string? ArtifactBucket { get; set; }

    /// <summary>Key prefix of the artifacts in that bucket.</summary>
    public string ArtifactPrefix { get; set; } = "artifacts/";

    /// <summary>How long a starting process waits for the database to come up before it gives up.</summary>
    public int StartupWaitSeconds { get; set; } = 60;

    /// <summary>How long a job taken by a worker that stopped answering stays invisible before another worker takes it again.</summary>
    public int JobTimeoutSeconds { get; set; } = 300;

    /// <summary>How often a web process reads job progress from the database (it runs no jobs itself).</summary>
    public int ProgressPollMilliseconds { get; set; } = 1000;

    public bool IsPostgres => Provider == StorageProvider.PostgreSQL;
}

/// <summary>Start-up validation of storage and role together: each message names the key to fix.</summary>
public sealed partial class StorageOptionsValidator(IOptions<LynqOptions> lynq, IOptions<ScoringOptions> scoring) : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var s = StorageOptions.Section;
        var failures = new List<string>();
        var role = lynq.Value.Role;
        if (options.IsPostgres)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                failures.Add($"{s}:ConnectionString is required when {s}:Provider is PostgreSQL (or set LYNQ_DB), e.g. \"Host=db;Database=lynq;Username=lynq;Password=…\".");
            }
            else
            {
                try
                {
                    var parsed = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                    if (string.IsNullOrWhiteSpace(parsed.Host))
                    {
                        failures.Add($"{s}:ConnectionString names no Host.");
                    }
                }
                catch (ArgumentException e)
                {
                    failures.Add($"{s}:ConnectionString is not a PostgreSQL connection string: {e.Message}");
                }
            }

            if (string.IsNullOrWhiteSpace(options.ArtifactBucket))
            {
                failures.Add($"{s}:ArtifactBucket is required when {s}:Provider is PostgreSQL (or set LYNQ_ARTIFACT_BUCKET): workers and web processes share datasets and models through it.");
            }

            foreach (var (key, schema) in new[] { ("Schema", options.Schema), ("JobsSchema", options.JobsSchema) })
            {
                if (!SchemaName().IsMatch(schema ?? string.Empty))
                {
                    failures.Add($"{s}:{key} '{schema}' must be a lower-case PostgreSQL name (letters, digits, underscores; 1–63 characters).");
                }
            }

            if (string.Equals(options.Schema, options.JobsSchema, StringComparison.Ordinal))
            {
                failures.Add($"{s}:Schema and {s}:JobsSchema must differ (both are '{options.Schema}').");
            }
        }
        else if (role is ProcessRole.Web or ProcessRole.Worker)
        {
            failures.Add($"{LynqOptions.Section}:Role {role} needs {s}:Provider PostgreSQL: with the embedded provider the jobs live in one process's memory, so web and worker cannot share them. Use Role All.");
        }

        if (role == ProcessRole.Scoring && !scoring.Value.UsesS3)
        {
            failures.Add($"{LynqOptions.Section}:Role Scoring serves the production model from S3: set {ScoringOptions.Section}:ModelSource to s3 (MODEL_SOURCE=s3) with its S3Bucket.");
        }

        if (!string.IsNullOrEmpty(options.ArtifactPrefix) && (options.ArtifactPrefix.StartsWith('/') || !options.ArtifactPrefix.EndsWith('/')))
        {
            failures.Add($"{s}:ArtifactPrefix '{options.ArtifactPrefix}' must not start with '/' and must end with '/' (e.g. \"artifacts/\").");
        }

        if (options.StartupWaitSeconds is < 0 or > 3600)
        {
            failures.Add($"{s}:StartupWaitSeconds must be between 0 and 3600 (got {options.StartupWaitSeconds}).");
        }

        if (options.JobTimeoutSeconds is < 10 or > 86_400)
        {
            failures.Add($"{s}:JobTimeoutSeconds must be between 10 and 86400 (got {options.JobTimeoutSeconds}).");
        }

        if (options.ProgressPollMilliseconds is < 100 or > 60_000)
        {
            failures.Add($"{s}:ProgressPollMilliseconds must be between 100 and 60000 (got {options.ProgressPollMilliseconds}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}

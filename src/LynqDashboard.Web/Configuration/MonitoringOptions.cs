using LynqDashboard.Core.Monitoring;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Configuration;

/// <summary>The "Lynq:Monitoring" section: the decision ledger, retention, the snapshot schedule, alert lines and the webhook.</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Lynq:Monitoring";

    public LedgerOptions Ledger { get; set; } = new();

    /// <summary>Decisions (and their outcomes) older than this many days are pruned by the nightly job (default 400).</summary>
    public int RetentionDays { get; set; } = 400;

    /// <summary>When the prune job runs, as a cron expression in UTC (default 03:30 every night).</summary>
    public string PruneCron { get; set; } = "30 3 * * *";

    /// <summary>The snapshot schedule until an Admin changes it on the Monitoring page (default hourly, on the hour, UTC).</summary>
    public string SnapshotCron { get; set; } = "0 * * * *";

    /// <summary>How many days of decisions a snapshot reads, back from now (default 30).</summary>
    public int WindowDays { get; set; } = 30;

    /// <summary>"week" or "month": what a back-test vintage is (default week).</summary>
    public string Vintage { get; set; } = "week";

    public double PsiAmber { get; set; } = 0.1;

    public double PsiRed { get; set; } = 0.25;

    /// <summary>Alert when |observed default rate − mean PD| exceeds this share of the mean PD (default 0.25).</summary>
    public double CalibrationShare { get; set; } = 0.25;

    /// <summary>Calibration and AUC alerts need at least this many outcomes in a vintage (default 500).</summary>
    public int MinOutcomes { get; set; } = 500;

    /// <summary>Alert when the back-test AUC is below this (default 0.70).</summary>
    public double AucFloor { get; set; } = 0.70;

    /// <summary>Where alerts are POSTed as JSON; empty for none.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>How many times a failed webhook POST is retried, with exponential back-off (default 3).</summary>
    public int WebhookRetries { get; set; } = 3;

    public MonitoringThresholds ToThresholds() => new(PsiAmber, PsiRed, CalibrationShare, MinOutcomes, AucFloor);
}

/// <summary>The "Lynq:Monitoring:Ledger" section.</summary>
public sealed class LedgerOptions
{
    /// <summary>Record every decision (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Decisions buffered in memory before new ones are dropped and counted (default 100,000).</summary>
    public int Capacity { get; set; } = 100_000;

    /// <summary>Most decisions written in one transaction (default 20,000).</summary>
    public int BatchSize { get; set; } = 20_000;

    /// <summary>How long the writer lets decisions gather before it writes them (default <see cref="DecisionLedger.DefaultLinger"/>, 1,000 ms).</summary>
    public int LingerMilliseconds { get; set; } = (int)DecisionLedger.DefaultLinger.TotalMilliseconds;
}

/// <summary>Start-up validation of the monitoring section; each message names the key to fix.</summary>
public sealed class MonitoringOptionsValidator : IValidateOptions<MonitoringOptions>
{
    public ValidateOptionsResult Validate(string? name, MonitoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var s = MonitoringOptions.Section;
        var failures = new List<string>();
        if (options.Ledger.Capacity is < 100 or > 10_000_000)
        {
            failures.Add($"{s}:Ledger:Capacity must be between 100 and 10,000,000 (it is {options.Ledger.Capacity}).");
        }

        if (options.Ledger.BatchSize < 1 || options.Ledger.BatchSize > options.Ledger.Capacity)
        {
            failures.Add($"{s}:Ledger:BatchSize must be between 1 and {s}:Ledger:Capacity (it is {options.Ledger.BatchSize}).");
        }

        if (options.Ledger.LingerMilliseconds is < 0 or > 60_000)
        {
            failures.Add($"{s}:Ledger:LingerMilliseconds must be between 0 and 60,000 (it is {options.Ledger.LingerMilliseconds}).");
        }

        if (options.RetentionDays is < 1 or > 3650)
        {
            failures.Add($"{s}:RetentionDays must be between 1 and 3650 (it is {options.RetentionDays}).");
        }

        if (options.WindowDays is < 1 or > 3650)
        {
            failures.Add($"{s}:WindowDays must be between 1 and 3650 (it is {options.WindowDays}).");
        }

        foreach (var (key, cron) in new[] { ("PruneCron", options.PruneCron), ("SnapshotCron", options.SnapshotCron) })
        {
            if (Core.Runs.CronSchedule.Explain(cron) is { } problem)
            {
                failures.Add($"{s}:{key} '{cron}' is not a cron expression: {problem}");
            }
        }

        if (options.Vintage is not ("week" or "month"))
        {
            failures.Add($"{s}:Vintage must be \"week\" or \"month\" (it is \"{options.Vintage}\").");
        }

        if (!(options.PsiAmber > 0 && options.PsiAmber < options.PsiRed))
        {
            failures.Add($"{s}:PsiAmber must be above 0 and below {s}:PsiRed (they are {options.PsiAmber} and {options.PsiRed}).");
        }

        if (options.CalibrationShare is <= 0 or > 10)
        {
            failures.Add($"{s}:CalibrationShare must be above 0 and at most 10 (it is {options.CalibrationShare}).");
        }

        if (options.MinOutcomes < 1)
        {
            failures.Add($"{s}:MinOutcomes must be at least 1 (it is {options.MinOutcomes}).");
        }

        if (options.AucFloor is < 0.5 or > 1)
        {
            failures.Add($"{s}:AucFloor must be between 0.5 and 1 (it is {options.AucFloor}).");
        }

        if (!string.IsNullOrWhiteSpace(options.WebhookUrl)
            && !(Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            failures.Add($"{s}:WebhookUrl must be an absolute http(s) URL (it is \"{options.WebhookUrl}\").");
        }

        if (options.WebhookRetries is < 0 or > 10)
        {
            failures.Add($"{s}:WebhookRetries must be between 0 and 10 (it is {options.WebhookRetries}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

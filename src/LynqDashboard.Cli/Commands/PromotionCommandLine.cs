using LynqDashboard.Core.Artifacts;
using System.CommandLine;
using LynqDashboard.Cli.Output;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Infrastructure;
using LynqDashboard.Infrastructure.Registry;
using LynqDashboard.Infrastructure.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Cli.Commands;

/// <summary>
/// promote and rollback: the dashboard's promotion flow without a browser, on the same registry (the data
/// directory's registry.db) and the same S3 layout. Credentials come only from the standard AWS chain.
/// </summary>
internal static class PromotionCommandLine
{
    public static Command Promote(CliContext context)
    {
        var options = new SharedOptions();
        var version = new Option<int>("--version") { Description = "The registry version to promote (3 for v3).", Required = true };
        var reason = new Option<string?>("--leakage-reason") { Description = $"Why a version flagged for target leakage should go to production anyway ({PromotionCommands.MinLeakageReasonLength}+ characters)." };
        var command = new Command("promote", "Promote a registry version to S3: preflight, verified upload, manifest last, then the production pointer. Exit code 0 only on a verified promotion.") { version, reason };
        options.AddTo(command);
        command.SetAction((parse, ct) => context.GuardAsync(() =>
            RunAsync(context, options, parse, (commands, by) => commands.PromoteAsync(parse.GetValue(version), by, parse.GetValue(reason), ct), ct)));
        return command;
    }

    public static Command Rollback(CliContext context)
    {
        var options = new SharedOptions();
        var command = new Command("rollback", "Point production back at the version the last promotion replaced, after verifying its objects. Exit code 0 only on success.");
        options.AddTo(command);
        command.SetAction((parse, ct) => context.GuardAsync(() =>
            RunAsync(context, options, parse, (commands, by) => commands.RollbackAsync(by, ct), ct)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, SharedOptions options, ParseResult parse, Func<PromotionCommands, string, Task<PromotionRecord>> request, CancellationToken cancellationToken)
    {
        var settings = options.Read(parse);
        if (context.Reject(settings.Problems()) is { } invalid)
        {
            return invalid;
        }

        var data = new DataDirectory(settings.DataDirectory);
        if (!File.Exists(data.RegistryDatabase))
        {
            await context.Error.WriteLineAsync($"error: --data-dir {data.Root} holds no registry.db; point it at the dashboard's data directory (or set LYNQ_DATA_DIR).").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        await using var services = new ServiceCollection().AddLynqInfrastructure(data.RegistryDatabase).BuildServiceProvider();
        await RegistryDatabase.MigrateAsync(services.GetRequiredService<IDbContextFactory<RegistryDbContext>>(), cancellationToken).ConfigureAwait(false);
        var registry = services.GetRequiredService<IModelRegistry>();
        var promotions = services.GetRequiredService<IPromotionRegistry>();
        var audit = services.GetRequiredService<IAuditLog>();
        var endpoint = settings.Endpoint;
        using var s3 = endpoint.CreateClient();
        var stores = new S3ObjectStoreFactory(s3, endpoint);
        var publisher = new ForwardingPublisher();
        var scheduler = new InlineScheduler();
        var clock = TimeProvider.System;
        var commands = new PromotionCommands(registry, promotions, audit, scheduler, settings.Target, clock);
        var runs = new RunLifecycle<PromotionRecord>(new PromotionRuns(promotions, audit, scheduler), publisher, new RunCancellations(), JobDurability.InMemory, clock);
        var workflow = new PromotionWorkflow(registry, runs, stores, new PromotionPreflight(new LocalArtifactStore(data), settings.Gates),
            new RollbackWorkflow(registry, stores, clock), new LocalArtifactStore(data), clock);

        var requested = await request(commands, settings.By).ConfigureAwait(false);
        await TerminalProgress.RunAsync(context.Console, requested.Kind == PromotionKind.Rollback ? "Rollback" : "Promotion", async reporter =>
        {
            publisher.Forward = update => reporter.Report((update.Progress.Fraction, Describe(update.Progress)));
            await workflow.RunAsync(requested.Id, cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

        var done = (await promotions.GetPromotionAsync(requested.Id, CancellationToken.None).ConfigureAwait(false))!;
        foreach (var check in done.Checks)
        {
            context.Console.WriteLine($"  {(check.Passed ? "ok  " : "FAIL")} {check.Name}: {check.Detail}");
        }

        if (done.Status != PromotionStatus.Succeeded)
        {
            await context.Error.WriteLineAsync($"error: [{done.ErrorCode}] {done.Error}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        foreach (var o in done.Objects)
        {
            context.Console.WriteLine($"  s3://{done.Bucket}/{o.Key}  {o.SizeBytes,10:N0} bytes  sha256 {o.Sha256}");
        }

        context.Console.WriteLine($"{char.ToUpperInvariant(done.Label[0])}{done.Label[1..]} succeeded: s3://{done.Bucket}/{done.PointerKey} names {done.ManifestKey}.");
        return ExitCodes.Success;
    }

    private static string Describe(JobProgress p) => p.Total > 0 ? $"{p.Stage} {p.Done:N0} / {p.Total:N0} bytes" : p.Stage;

    private sealed class ForwardingPublisher : IRunUpdatePublisher
    {
        public Action<RunUpdate>? Forward { get; set; }

        public void Publish(RunUpdate update) => Forward?.Invoke(update);
    }

    // The command line runs the promotion itself, right after asking for it: nothing is queued elsewhere.
    private sealed class InlineScheduler : IJobScheduler
    {
        public string EnqueueGeneration(Guid datasetId) => throw new NotSupportedException();

        public string EnqueueTraining(Guid versionId, string? afterJobId = null) => throw new NotSupportedException();

        public string EnqueuePromotion(Guid promotionId) => $"cli-{promotionId:N}";

        public void Delete(string jobId)
        {
        }
    }

    private sealed class SharedOptions
    {
        private readonly Option<string> _dataDir = new("--data-dir") { Description = "The dashboard's data directory (registry.db, models/).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LYNQ_DATA_DIR") is { Length: > 0 } d ? d : "./data" };
        private readonly Option<string?> _bucket = new("--bucket") { Description = "The bucket (default: LYNQ_PROMOTION_BUCKET).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LYNQ_PROMOTION_BUCKET") };
        private readonly Option<string> _prefix = new("--key-prefix") { Description = "Key prefix P of the version's objects, or a template with {version}.", DefaultValueFactory = _ => PromotionLayout.DefaultPrefixTemplate };
        private readonly Option<string> _pointer = new("--pointer-key") { Description = "The production pointer scoring nodes follow.", DefaultValueFactory = _ => PromotionLayout.DefaultPointerKey };
        private readonly Option<string?> _region = new("--region") { Description = "The bucket's region (default: the AWS chain, e.g. AWS_REGION)." };
        private readonly Option<string?> _serviceUrl = new("--service-url") { Description = "An S3-compatible endpoint instead of AWS." };
        private readonly Option<bool> _pathStyle = new("--path-style") { Description = "Path-style addressing (S3-compatible servers)." };
        private readonly Option<int> _timeout = new("--timeout-seconds") { Description = "Seconds one S3 request may take.", DefaultValueFactory = _ => 60 };
        private readonly Option<int> _retries = new("--max-retries") { Description = "Retries of a transient S3 failure, with backoff.", DefaultValueFactory = _ => 3 };
        private readonly Option<double> _minAuc = new("--min-roc-auc") { Description = "Quality gate: lowest ROC-AUC.", DefaultValueFactory = _ => new PromotionGates().MinRocAuc };
        private readonly Option<double> _maxCalibration = new("--max-calibration-error") { Description = "Quality gate: largest calibration error.", DefaultValueFactory = _ => new PromotionGates().MaxCalibrationError };
        private readonly Option<string> _by = new("--by") { Description = "Who promotes, for the manifest and the audit log.", DefaultValueFactory = _ => $"cli:{Environment.UserName}@{Environment.MachineName}" };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _dataDir, _bucket, _prefix, _pointer, _region, _serviceUrl, _pathStyle, _timeout, _retries, _minAuc, _maxCalibration, _by })
            {
                command.Options.Add(option);
            }
        }

        public Settings Read(ParseResult parse) => new(
            parse.GetValue(_dataDir)!, parse.GetValue(_bucket), parse.GetValue(_prefix)!, parse.GetValue(_pointer)!, parse.GetValue(_region), parse.GetValue(_serviceUrl),
            parse.GetValue(_pathStyle), parse.GetValue(_timeout), parse.GetValue(_retries), new PromotionGates(parse.GetValue(_minAuc), parse.GetValue(_maxCalibration)), parse.GetValue(_by)!);
    }

    private sealed record Settings(string DataDirectory, string? Bucket, string KeyPrefix, string PointerKey, string? Region, string? ServiceUrl, bool PathStyle, int TimeoutSeconds, int MaxRetries, PromotionGates Gates, string By)
    {
        public PromotionTarget Target => new(Bucket, KeyPrefix, PointerKey);

        public S3Endpoint Endpoint => new(Region, ServiceUrl, PathStyle, TimeSpan.FromSeconds(TimeoutSeconds), MaxRetries);

        public IEnumerable<(string Field, string Message)> Problems()
        {
            if (string.IsNullOrWhiteSpace(Bucket))
            {
                yield return ("bucket", "is required (or set LYNQ_PROMOTION_BUCKET)");
            }

            if (PromotionLayout.Problem(KeyPrefix, isTemplate: false) is { } prefix)
            {
                yield return ("key-prefix", prefix);
            }

            if (PromotionLayout.Problem(PointerKey, isTemplate: false) is { } pointer)
            {
                yield return ("pointer-key", pointer);
            }

            if (ServiceUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                yield return ("service-url", $"'{url}' is not an absolute URL");
            }

            if (TimeoutSeconds is < 1 or > 3_600)
            {
                yield return ("timeout-seconds", "must be between 1 and 3,600");
            }

            if (MaxRetries is < 0 or > 10)
            {
                yield return ("max-retries", "must be between 0 and 10");
            }

            foreach (var (name, message) in Gates.Validate())
            {
                yield return (name == nameof(PromotionGates.MinRocAuc) ? "min-roc-auc" : "max-calibration-error", message);
            }
        }
    }
}

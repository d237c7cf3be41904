using System.CommandLine;
using LynqDashboard.Cli.Output;
using LynqDashboard.Core;
using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Infrastructure.Registry;
using LynqDashboard.Infrastructure.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
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
        var comment = new Option<string?>("--comment") { Description = "Why it should serve: the request's comment when no second approver is required." };
        var reason = new Option<string?>("--leakage-reason") { Description = $"Why a version flagged for target leakage should go to production anyway ({PromotionCommands.MinLeakageReasonLength}+ characters)." };
        var monotonicity = new Option<string?>("--monotonicity-reason") { Description = $"Why a version whose PD moves against a declared direction should serve anyway ({PromotionRequests.MinReasonLength}+ characters)." };
        var secondApprover = new Option<bool>("--require-second-approver")
        {
            Description = "The four-eyes rule (default: LYNQ_REQUIRE_SECOND_APPROVER, else true). On, only a promotion a second person approved on the dashboard is carried out; off, this command asks and approves in one step, and the audit log says so.",
            DefaultValueFactory = _ => !bool.TryParse(Environment.GetEnvironmentVariable("LYNQ_REQUIRE_SECOND_APPROVER"), out var required) || required,
        };
        var command = new Command("promote", "Carry out an approved promotion of a registry version to S3: preflight, verified upload, manifest last, then the production pointer. Exit code 0 only on a verified promotion.") { version, comment, reason, monotonicity, secondApprover };
        options.AddTo(command);
        command.SetAction((parse, ct) => context.GuardAsync(() =>
            RunAsync(context, options, parse, services => ApprovedPromotionAsync(services, parse.GetValue(version), parse.GetValue(secondApprover), options.Read(parse).By,
                parse.GetValue(comment), parse.GetValue(reason), parse.GetValue(monotonicity), ct), ct, new FourEyesRule(parse.GetValue(secondApprover)))));
        return command;
    }

    // The dashboard's rule, from the command line: with four eyes required, only an approval already given is carried out.
    private static async Task<PromotionRecord> ApprovedPromotionAsync(
        IServiceProvider services, int number, bool secondApprover, string by, string? comment, string? leakageReason, string? monotonicityReason, CancellationToken cancellationToken)
    {
        var requests = services.GetRequiredService<PromotionRequests>();
        if (!secondApprover)
        {
            var asked = await requests.RequestAsync(number, by, comment ?? "promoted from the command line (no second approver required)", leakageReason, monotonicityReason, cancellationToken).ConfigureAwait(false);
            return (await requests.ApproveAsync(asked.Id, by, "approved from the command line (no second approver required)", cancellationToken).ConfigureAwait(false)).Promotion;
        }

        return await requests.CarryOutAsync(number, by, services.GetRequiredService<IPromotionRegistry>(), cancellationToken).ConfigureAwait(false);
    }

    public static Command Rollback(CliContext context)
    {
        var options = new SharedOptions();
        var command = new Command("rollback", "Point production back at the version the last promotion replaced, after verifying its objects. Exit code 0 only on success.");
        options.AddTo(command);
        command.SetAction((parse, ct) => context.GuardAsync(() =>
            RunAsync(context, options, parse, services => services.GetRequiredService<PromotionCommands>().RollbackAsync(options.Read(parse).By, ct), ct)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, SharedOptions options, ParseResult parse, Func<IServiceProvider, Task<PromotionRecord>> request, CancellationToken cancellationToken, FourEyesRule? rule = null)
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

        await using var services = CliServiceRegistration.BuildPromotionServices(data, settings.Target, settings.Gates, rule ?? new FourEyesRule(), settings.S3, SharedOptions.OptionOf);
        await RegistryDatabase.MigrateAsync(services.GetRequiredService<IDbContextFactory<RegistryDbContext>>(), cancellationToken).ConfigureAwait(false);
        var promotions = services.GetRequiredService<IPromotionRegistry>();
        var workflow = services.GetRequiredService<PromotionWorkflow>();
        var publisher = services.GetRequiredService<TerminalPublisher>();

        var requested = await request(services).ConfigureAwait(false);
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

    private sealed class SharedOptions
    {
        private readonly Option<string> _dataDir = new("--data-dir") { Description = "The dashboard's data directory (registry.db, models/).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LYNQ_DATA_DIR") is { Length: > 0 } d ? d : "./data" };
        private readonly Option<string?> _bucket = new("--bucket") { Description = "The bucket (default: LYNQ_PROMOTION_BUCKET).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LYNQ_PROMOTION_BUCKET") };
        private readonly Option<string> _prefix = new("--key-prefix") { Description = "Key prefix P of the version's objects, or a template with {version}.", DefaultValueFactory = _ => PromotionLayout.DefaultPrefixTemplate };
        private readonly Option<string> _pointer = new("--pointer-key") { Description = "The production pointer scoring nodes follow.", DefaultValueFactory = _ => PromotionLayout.DefaultPointerKey };
        // Lynq:S3's settings under the command line's names, set on the same S3Options and checked by the same rules.
        private readonly Option<string?> _region = new("--region") { Description = "The bucket's region (default: the AWS chain, e.g. AWS_REGION)." };
        private readonly Option<string?> _serviceUrl = new("--service-url") { Description = "An S3-compatible endpoint instead of AWS." };
        private readonly Option<bool> _pathStyle = new("--path-style") { Description = "Path-style addressing (S3-compatible servers)." };
        private readonly Option<int> _timeout = new("--timeout-seconds") { Description = "Seconds one S3 request may take.", DefaultValueFactory = _ => new S3Options().TimeoutSeconds };
        private readonly Option<int> _retries = new("--max-retries") { Description = "Retries of a transient S3 failure, with backoff.", DefaultValueFactory = _ => new S3Options().MaxRetries };
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
            parse.GetValue(_dataDir)!, parse.GetValue(_bucket), parse.GetValue(_prefix)!, parse.GetValue(_pointer)!, s3 =>
            {
                s3.Region = parse.GetValue(_region);
                s3.ServiceUrl = parse.GetValue(_serviceUrl);
                s3.ForcePathStyle = parse.GetValue(_pathStyle);
                s3.TimeoutSeconds = parse.GetValue(_timeout);
                s3.MaxRetries = parse.GetValue(_retries);
            }, new PromotionGates(parse.GetValue(_minAuc), parse.GetValue(_maxCalibration)), parse.GetValue(_by)!);

        /// <summary>The option that sets an S3Options property (the part size has none: it keeps its default).</summary>
        public static string OptionOf(string property) => property switch
        {
            nameof(S3Options.Region) => "region",
            nameof(S3Options.ServiceUrl) => "service-url",
            nameof(S3Options.ForcePathStyle) => "path-style",
            nameof(S3Options.TimeoutSeconds) => "timeout-seconds",
            nameof(S3Options.MaxRetries) => "max-retries",
            _ => $"{S3Options.Section}:{property}",
        };
    }

    /// <param name="S3">Sets the S3 options from the command line.</param>
    private sealed record Settings(string DataDirectory, string? Bucket, string KeyPrefix, string PointerKey, Action<S3Options> S3, PromotionGates Gates, string By)
    {
        public PromotionTarget Target => new(Bucket, KeyPrefix, PointerKey);

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

            var s3 = new S3Options();
            S3(s3);
            foreach (var (name, message) in s3.Problems())
            {
                yield return (SharedOptions.OptionOf(name), message);
            }

            foreach (var (name, message) in Gates.Validate())
            {
                yield return (name == nameof(PromotionGates.MinRocAuc) ? "min-roc-auc" : "max-calibration-error", message);
            }
        }
    }
}

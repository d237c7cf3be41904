using System.Globalization;
using System.Text.Json;
using LynqDashboard.Core;
using LynqDashboard.Core.Challengers;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Serialization;

namespace LynqDashboard.Web.Challengers;

/// <summary>What is assigned now: the shadow and the split, each null when none.</summary>
public sealed record ChallengerState(ShadowAssignment? Shadow, SplitAssignment? Split);

/// <summary>
/// Starting and stopping a shadow or an A/B split: only a Ready version may be one (not production, not a failed or
/// running one), a split's share is checked, and each change is stored in the registry's settings (shared by every
/// process, kept across restarts) and audited. With a promotion bucket (Lynq:Promotion:Bucket) a shadow or split is
/// also published there as production is (objects, manifest, then the pointer beside production's), for scoring nodes
/// that follow S3; stopping deletes the pointer. The caller checks the Approver role. Scoring nodes pick the change up
/// on their next refresh; this process at once.
/// </summary>
public sealed class ChallengerCommands(
    IMonitoringStore settings, IModelRegistry registry, IAuditLog audit, ChallengerRefresh refresh, TimeProvider clock, Core.Promotion.PromotionTarget target, ChallengerPointers pointers)
{
    public const string ShadowKey = "challengers.shadow";
    public const string SplitKey = "challengers.split";

    public Task<ChallengerState> GetAsync(CancellationToken cancellationToken = default) => ChallengerRefresh.ReadAsync(settings, cancellationToken);

    public async Task<ShadowAssignment> StartShadowAsync(int? version, string actor, CancellationToken cancellationToken = default)
    {
        var number = await ReadyVersionAsync(version, "shadow", cancellationToken);
        var before = (await GetAsync(cancellationToken)).Shadow;
        await PublishAsync(number, version => pointers.PublishShadowAsync(version, actor, cancellationToken), cancellationToken);
        var assignment = new ShadowAssignment(number, actor, clock.GetUtcNow());
        await SaveAsync(ShadowKey, assignment, actor, cancellationToken);
        await AuditAsync(actor, "shadow.started", $"v{number}",
            $"v{number} scores every request in the shadow of production (answers still production's){(before is null ? string.Empty : $"; it replaces v{before.Version}")}.", cancellationToken);
        await refresh.RefreshAsync(cancellationToken);
        return assignment;
    }

    public async Task<bool> StopShadowAsync(string actor, CancellationToken cancellationToken = default)
    {
        if ((await GetAsync(cancellationToken)).Shadow is not { } before)
        {
            return false;
        }

        await PublishAsync(null, _ => pointers.ClearShadowAsync(cancellationToken), cancellationToken);
        await SaveAsync(ShadowKey, null, actor, cancellationToken);
        await AuditAsync(actor, "shadow.stopped", $"v{before.Version}", $"v{before.Version} no longer scores in the shadow (set by {before.SetBy}).", cancellationToken);
        await refresh.RefreshAsync(cancellationToken);
        return true;
    }

    public async Task<SplitAssignment> StartSplitAsync(int? version, double? percent, string actor, CancellationToken cancellationToken = default)
    {
        var problems = new List<FieldProblem>();
        if (percent is not { } share)
        {
            problems.Add(new FieldProblem("percent", "is required: the share of wallets the challenger answers, e.g. 10"));
        }
        else if (WalletSplit.Problem(share) is { } problem)
        {
            problems.Add(new FieldProblem("percent", problem));
        }

        if (problems.Count > 0)
        {
            throw LynqException.Invalid(problems);
        }

        var number = await ReadyVersionAsync(version, "challenger", cancellationToken);
        var before = (await GetAsync(cancellationToken)).Split;
        await PublishAsync(number, version => pointers.PublishSplitAsync(version, percent!.Value, actor, cancellationToken), cancellationToken);
        var assignment = new SplitAssignment(number, percent!.Value, actor, clock.GetUtcNow());
        await SaveAsync(SplitKey, assignment, actor, cancellationToken);
        await AuditAsync(actor, before is null ? "split.started" : "split.changed", $"v{number}",
            string.Create(CultureInfo.InvariantCulture, $"v{number} answers {assignment.Percent}% of wallets (by wallet hash), production the rest")
            + (before is null ? "." : string.Create(CultureInfo.InvariantCulture, $"; it was v{before.Version} at {before.Percent}%.")), cancellationToken);
        await refresh.RefreshAsync(cancellationToken);
        return assignment;
    }

    public async Task<bool> StopSplitAsync(string actor, CancellationToken cancellationToken = default)
    {
        if ((await GetAsync(cancellationToken)).Split is not { } before)
        {
            return false;
        }

        await PublishAsync(null, _ => pointers.ClearSplitAsync(cancellationToken), cancellationToken);
        await SaveAsync(SplitKey, null, actor, cancellationToken);
        await AuditAsync(actor, "split.stopped", $"v{before.Version}",
            string.Create(CultureInfo.InvariantCulture, $"The split is over: production answers every wallet again (v{before.Version} had {before.Percent}%)."), cancellationToken);
        await refresh.RefreshAsync(cancellationToken);
        return true;
    }

    // S3 first: a pointer that could not be written leaves the stored assignment as it was, and says why.
    private async Task PublishAsync(int? number, Func<ModelVersionRecord, Task> publish, CancellationToken cancellationToken)
    {
        if (!target.IsEnabled)
        {
            return;
        }

        var version = number is { } n ? await registry.GetVersionByNumberAsync(n, cancellationToken) : null;
        try
        {
            await publish(version!);
        }
        catch (Core.Storage.ObjectStoreException e)
        {
            throw new LynqException(ProblemKind.Unavailable, $"s3://{target.Bucket} could not be updated ([{e.Code}] {e.Message}); nothing was changed.", field: null, e);
        }
    }

    private async Task<int> ReadyVersionAsync(int? version, string role, CancellationToken cancellationToken)
    {
        if (version is not { } number)
        {
            throw LynqException.Invalid("version", $"is required: the number of the Ready version to make the {role}");
        }

        var record = await registry.GetVersionByNumberAsync(number, cancellationToken)
            ?? throw LynqException.Invalid("version", $"v{number} does not exist");
        if (record.Status != VersionStatus.Ready || record.ArtifactDirectory is null)
        {
            throw LynqException.Invalid("version", record.Status == VersionStatus.Production
                ? $"v{number} is production; the {role} must be another, Ready version"
                : $"v{number} is {record.Status.ToString().ToLowerInvariant()}; only a Ready version can be the {role}");
        }

        return number;
    }

    private Task SaveAsync(string key, object? value, string actor, CancellationToken cancellationToken) =>
        settings.SaveSettingAsync(new StoredSetting { Key = key, Value = value is null ? string.Empty : JsonSerializer.Serialize(value, LynqJson.Compact), UpdatedBy = actor, UpdatedAt = clock.GetUtcNow() }, cancellationToken);

    private Task AuditAsync(string actor, string action, string subject, string detail, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEvent { At = clock.GetUtcNow(), Actor = actor, Action = action, Subject = subject, Detail = detail }, cancellationToken);
}

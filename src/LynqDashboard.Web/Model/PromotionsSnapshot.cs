using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Web.Model;

/// <summary>Everything the Promotions page shows, read once per load.</summary>
/// <param name="Target">Where promotions go (bucket null while promotion is off).</param>
/// <param name="InBucket">What the bucket's production pointer names now, read from the bucket; null when off or unreadable.</param>
/// <param name="BucketProblem">Why the bucket could not be read, in words with the S3 code; null when it could.</param>
/// <param name="RegistryProduction">The version the registry marks Production.</param>
/// <param name="Candidates">Versions that can be promoted, newest first.</param>
/// <param name="History">Promotions and rollbacks, newest first.</param>
/// <param name="Audit">The newest audit log lines.</param>
/// <param name="RollbackTo">The promotion a rollback would return to; null with <paramref name="RollbackUnavailable"/> saying why.</param>
/// <param name="RollbackUnavailable">Why there is nothing to roll back to.</param>
/// <param name="Requests">Promotion requests, newest first.</param>
public sealed record PromotionsSnapshot(
    PromotionTarget Target,
    ProductionInBucket? InBucket,
    string? BucketProblem,
    ModelVersionRecord? RegistryProduction,
    IReadOnlyList<ModelVersionRecord> Candidates,
    IReadOnlyList<PromotionRecord> History,
    IReadOnlyList<AuditEvent> Audit,
    PromotionRecord? RollbackTo,
    string? RollbackUnavailable,
    IReadOnlyList<PromotionRequestRecord> Requests)
{
    public PromotionRecord? Active => History.FirstOrDefault(p => p.Status.IsActive());

    /// <summary>The pointer and the registry disagree (an interrupted promotion, or a change made outside this dashboard).</summary>
    public bool OutOfStep => InBucket is { Production: var pointer } && RegistryProduction is { } production && pointer.Version != production.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <param name="Production">The production pointer object.</param>
/// <param name="Manifest">The manifest it names; null when that could not be read.</param>
/// <param name="ManifestProblem">Why the manifest could not be read.</param>
public sealed record ProductionInBucket(ProductionPointer Production, PromotionManifest? Manifest, string? ManifestProblem);

/// <summary>Reads the registry and, with a short deadline, the bucket's production pointer and manifest.</summary>
public sealed class PromotionsLoader(IModelRegistry registry, IPromotionRegistry promotions, IAuditLog audit, IObjectStoreFactory stores, PromotionCommands commands, PromotionRequests requests)
{
    /// <summary>How long the page waits for the bucket before showing the registry alone.</summary>
    public static readonly TimeSpan BucketDeadline = TimeSpan.FromSeconds(5);

    public async Task<PromotionsSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var target = commands.Target;
        var production = (await registry.QueryVersionsAsync(new VersionQuery(Status: VersionStatus.Production, Take: 1), cancellationToken)).Items is [var first, ..] ? first : null;
        var ready = await registry.QueryVersionsAsync(new VersionQuery(Status: VersionStatus.Ready, Take: 100), cancellationToken);
        var archived = await registry.QueryVersionsAsync(new VersionQuery(Status: VersionStatus.Archived, Take: 100), cancellationToken);
        IReadOnlyList<ModelVersionRecord> candidates = [.. ready.Items.Concat(archived.Items).Concat(production is null ? [] : [production]).OrderByDescending(v => v.Number)];
        var history = await promotions.ListPromotionsAsync(take: 200, cancellationToken: cancellationToken);
        var lines = await audit.ListAsync(0, 100, cancellationToken);
        var (rollbackTo, unavailable) = await commands.RollbackTargetAsync(cancellationToken);
        var (inBucket, problem) = target.IsEnabled ? await ReadBucketAsync(target, cancellationToken) : (null, null);
        var asked = await requests.ListAsync(take: 50, cancellationToken: cancellationToken);
        return new PromotionsSnapshot(target, inBucket, problem, production, candidates, history, lines, rollbackTo, unavailable, asked);
    }

    /// <summary>The newest state of one promotion (the page polls the active one while it runs).</summary>
    public Task<PromotionRecord?> ReloadAsync(Guid id, CancellationToken cancellationToken) => promotions.GetPromotionAsync(id, cancellationToken);

    private async Task<(ProductionInBucket?, string?)> ReadBucketAsync(PromotionTarget target, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(BucketDeadline);
        var store = stores.Open(target.Bucket!);
        try
        {
            var production = await store.ReadProductionAsync(target.PointerKey, deadline.Token);
            if (production.Outcome == ProductionReadOutcome.NoPointer)
            {
                return (null, null);
            }

            // A pointer that names a missing or broken manifest is still shown, with what is wrong with the manifest.
            return production.ProductionPointer is { } pointer
                ? (new ProductionInBucket(pointer, production.Manifest, production.Problem), null)
                : (null, production.Problem);
        }
        catch (ObjectStoreException e)
        {
            return (null, $"[{e.Code}] {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"s3://{target.Bucket} did not answer within {BucketDeadline.TotalSeconds:0} s; the history below comes from the registry.");
        }
    }
}

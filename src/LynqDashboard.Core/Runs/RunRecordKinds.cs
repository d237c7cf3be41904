using LynqDashboard.Core.Registry;

namespace LynqDashboard.Core.Runs;

/// <summary>Dataset records as runs: their job generates the CSV.</summary>
public sealed class DatasetRuns(IModelRegistry registry, IJobScheduler scheduler)
    : RunRecords<DatasetRecord, DatasetStatus>(RunKind.Dataset, RunStatusMaps.Datasets, new("dataset", "generating", "generation", "generations"), scheduler)
{
    public override RunUpdate UpdateOf(DatasetRecord record) => RunUpdate.Of(record);

    public override string Title(DatasetRecord record) => $"Dataset '{record.Name}'";

    public override JobProgress QueuedProgress(DatasetRecord record) => new() { Total = record.RequestedRows };

    public override Task<DatasetRecord> AddAsync(DatasetRecord record, CancellationToken cancellationToken) => registry.AddDatasetAsync(record, cancellationToken);

    public override Task<DatasetRecord?> GetAsync(Guid id, CancellationToken cancellationToken) => registry.GetDatasetAsync(id, cancellationToken);

    public override Task<DatasetRecord?> UpdateAsync(Guid id, Action<DatasetRecord> change, CancellationToken cancellationToken) =>
        registry.UpdateDatasetAsync(id, change, cancellationToken);

    public override string Enqueue(Guid id, string? afterJobId) => afterJobId is null
        ? Scheduler.EnqueueGeneration(id)
        : throw new ArgumentException("A generation waits for no other job.", nameof(afterJobId));

    protected override DatasetStatus StatusOf(DatasetRecord record) => record.Status;

    protected override void SetStatus(DatasetRecord record, DatasetStatus status) => record.Status = status;
}

/// <summary>Model version records as runs: their job trains the model.</summary>
public sealed class VersionRuns(IModelRegistry registry, IJobScheduler scheduler)
    : RunRecords<ModelVersionRecord, VersionStatus>(RunKind.Version, RunStatusMaps.Versions, new("version", "training", "training", "runs"), scheduler)
{
    public override RunUpdate UpdateOf(ModelVersionRecord record) => RunUpdate.Of(record);

    public override string Title(ModelVersionRecord record) => record.Label;

    public override JobProgress QueuedProgress(ModelVersionRecord record) => new() { Total = record.Parameters.Trees };

    public override Task<ModelVersionRecord> AddAsync(ModelVersionRecord record, CancellationToken cancellationToken) => registry.AddVersionAsync(record, cancellationToken);

    public override Task<ModelVersionRecord?> GetAsync(Guid id, CancellationToken cancellationToken) => registry.GetVersionAsync(id, cancellationToken);

    public override Task<ModelVersionRecord?> UpdateAsync(Guid id, Action<ModelVersionRecord> change, CancellationToken cancellationToken) =>
        registry.UpdateVersionAsync(id, change, cancellationToken);

    public override string Enqueue(Guid id, string? afterJobId) => Scheduler.EnqueueTraining(id, afterJobId);

    protected override VersionStatus StatusOf(ModelVersionRecord record) => record.Status;

    protected override void SetStatus(ModelVersionRecord record, VersionStatus status) => record.Status = status;
}

/// <summary>
/// Promotion and rollback records as runs: their job writes to the bucket. They keep audit lines, and their success is
/// the registry's production change, stored in one transaction with it.
/// </summary>
public sealed class PromotionRuns(IPromotionRegistry promotions, IAuditLog auditLog, IJobScheduler scheduler)
    : RunRecords<PromotionRecord, PromotionStatus>(RunKind.Promotion, RunStatusMaps.Promotions, new("promotion", "promoting", "promotion", "promotions"), scheduler)
{
    public override RunUpdate UpdateOf(PromotionRecord record) => RunUpdate.Of(record);

    public override string Title(PromotionRecord record) => $"The {record.Label}";

    public override JobProgress QueuedProgress(PromotionRecord record) => new();

    public override Task<PromotionRecord> AddAsync(PromotionRecord record, CancellationToken cancellationToken) => promotions.AddPromotionAsync(record, cancellationToken);

    public override Task<PromotionRecord?> GetAsync(Guid id, CancellationToken cancellationToken) => promotions.GetPromotionAsync(id, cancellationToken);

    public override Task<PromotionRecord?> UpdateAsync(Guid id, Action<PromotionRecord> change, CancellationToken cancellationToken) =>
        promotions.UpdatePromotionAsync(id, change, cancellationToken);

    public override async Task<PromotionRecord?> EndAsync(Guid id, RunState state, Func<PromotionRecord, bool> end, AuditEvent? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(end);
        if (state == RunState.Succeeded)
        {
            var line = audit ?? throw new ArgumentNullException(nameof(audit), "A promotion's success is always audited.");
            return await promotions.CompletePromotionAsync(id, p => end(p), line, cancellationToken).ConfigureAwait(false);
        }

        var applied = false;
        var saved = await promotions.UpdatePromotionAsync(id, p => applied = end(p), cancellationToken).ConfigureAwait(false);
        if (!applied || saved is null)
        {
            return null;
        }

        if (audit is not null)
        {
            await auditLog.AppendAsync(audit, cancellationToken).ConfigureAwait(false);
        }

        return saved;
    }

    public override string Enqueue(Guid id, string? afterJobId) => afterJobId is null
        ? Scheduler.EnqueuePromotion(id)
        : throw new ArgumentException("A promotion waits for no other job.", nameof(afterJobId));

    protected override PromotionStatus StatusOf(PromotionRecord record) => record.Status;

    protected override void SetStatus(PromotionRecord record, PromotionStatus status) => record.Status = status;
}

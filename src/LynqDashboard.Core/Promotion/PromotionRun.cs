using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Core.Promotion;

/// <summary>
/// One running promotion or rollback: its live progress, its preflight results as they come, and the one way it
/// ends (succeeded in the registry's production transaction, failed with a code and words, or interrupted), each
/// end written to the audit log and published to open pages.
/// </summary>
internal sealed class PromotionRun
{
    private readonly IPromotionRegistry _promotions;
    private readonly IAuditLog _audit;
    private readonly IRunUpdatePublisher _publisher;
    private readonly TimeProvider _clock;

    public PromotionRun(PromotionRecord record, IPromotionRegistry promotions, IAuditLog audit, IRunUpdatePublisher publisher, TimeProvider clock)
    {
        Record = record;
        (_promotions, _audit, _publisher, _clock) = (promotions, audit, publisher, clock);
        Relay = new ProgressRelay(RunKind.Promotion, record.Id, nameof(PromotionStatus.Running), publisher, async progress =>
        {
            await promotions.UpdatePromotionAsync(record.Id, p => p.Progress = progress, CancellationToken.None).ConfigureAwait(false);
            return false; // a promotion is not cancelled half-way: it either completes or leaves the pointer alone
        }, () => { }, clock);
    }

    public PromotionRecord Record { get; }

    public ProgressRelay Relay { get; }

    private string Verb => Record.Kind == PromotionKind.Rollback ? "rollback" : "promotion";

    private string Subject => $"v{Record.VersionNumber}";

    public Task StartAsync() => _promotions.UpdatePromotionAsync(Record.Id, p =>
    {
        p.Status = PromotionStatus.Running;
        p.StartedAt = _clock.GetUtcNow();
        (p.Error, p.ErrorCode, p.FinishedAt) = (null, null, null);
        p.Checks = [];
    }, CancellationToken.None);

    public async Task SaveChecksAsync(IReadOnlyList<PreflightCheck> checks)
    {
        var saved = await _promotions.UpdatePromotionAsync(Record.Id, p => p.Checks = [.. checks], CancellationToken.None).ConfigureAwait(false);
        if (saved is not null)
        {
            _publisher.Publish(new RunUpdate(RunKind.Promotion, Record.Id, nameof(PromotionStatus.Running), saved.Progress.Copy()));
        }
    }

    public async Task FailAsync(string code, string message)
    {
        await Relay.FlushAsync().ConfigureAwait(false);
        var saved = await _promotions.UpdatePromotionAsync(Record.Id, p =>
        {
            (p.Status, p.ErrorCode, p.Error, p.FinishedAt) = (PromotionStatus.Failed, code, message, _clock.GetUtcNow());
            p.Progress.Stage = "failed";
        }, CancellationToken.None).ConfigureAwait(false);
        await _audit.AppendAsync(new AuditEvent
        {
            At = _clock.GetUtcNow(), Actor = Record.RequestedBy, Action = $"{Verb}.failed", Subject = Subject,
            Detail = $"s3://{Record.Bucket}: [{code}] {message}",
        }, CancellationToken.None).ConfigureAwait(false);
        Publish(saved, nameof(PromotionStatus.Failed), message);
    }

    public async Task InterruptedAsync(string message)
    {
        await Relay.FlushAsync().ConfigureAwait(false);
        var saved = await _promotions.UpdatePromotionAsync(Record.Id, p =>
        {
            (p.Status, p.Error, p.FinishedAt) = (PromotionStatus.Interrupted, message, _clock.GetUtcNow());
            p.Progress.Stage = "interrupted";
        }, CancellationToken.None).ConfigureAwait(false);
        Publish(saved, nameof(PromotionStatus.Interrupted), message);
    }

    /// <summary>Moves production to this record's version in the registry (one transaction) and records the success.</summary>
    public async Task SucceedAsync(Action<PromotionRecord> finish, string detail)
    {
        await Relay.FlushAsync().ConfigureAwait(false);
        var now = _clock.GetUtcNow();
        var saved = await _promotions.CompletePromotionAsync(Record.Id, p =>
        {
            finish(p);
            (p.Status, p.FinishedAt, p.Error, p.ErrorCode) = (PromotionStatus.Succeeded, now, null, null);
            (p.Progress.Stage, p.Progress.Fraction) = ("succeeded", 1);
        }, new AuditEvent { At = now, Actor = Record.RequestedBy, Action = $"{Verb}.succeeded", Subject = Subject, Detail = detail }, CancellationToken.None).ConfigureAwait(false);
        Publish(saved, nameof(PromotionStatus.Succeeded), null);
    }

    private void Publish(PromotionRecord? saved, string status, string? error)
    {
        if (saved is not null)
        {
            _publisher.Publish(new RunUpdate(RunKind.Promotion, Record.Id, status, saved.Progress.Copy(), error, Record.Label));
        }
    }
}

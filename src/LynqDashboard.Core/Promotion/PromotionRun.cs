using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Core.Promotion;

/// <summary>
/// One running promotion or rollback: its live progress, its preflight results as they come, and the one way it
/// ends (succeeded in the registry's production transaction, failed with a code and words, or interrupted), through
/// the run lifecycle; a success or failure is written to the audit log by whoever asked for it.
/// </summary>
internal sealed class PromotionRun
{
    private readonly RunLifecycle<PromotionRecord> _runs;
    private readonly TimeProvider _clock;

    public PromotionRun(PromotionRecord record, RunLifecycle<PromotionRecord> runs, TimeProvider clock)
    {
        Record = record;
        (_runs, _clock) = (runs, clock);

        // Nothing cancels a promotion half-way: it either completes or leaves the pointer alone.
        Relay = runs.Relay(record.Id, cancel: () => { });
    }

    public PromotionRecord Record { get; }

    public ProgressRelay Relay { get; }

    public Task StartAsync() => _runs.StartAsync(Record.Id, p => (p.ErrorCode, p.Checks) = (null, []));

    public Task SaveChecksAsync(IReadOnlyList<PreflightCheck> checks) => _runs.SaveAsync(Record.Id, p => p.Checks = [.. checks]);

    public async Task FailAsync(string code, string message)
    {
        await Relay.FlushAsync().ConfigureAwait(false);
        await _runs.FailAsync(Record.Id, message, p => p.ErrorCode = code, Audit("failed", $"{Record.Where}: [{code}] {message}")).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the run failed when any of <paramref name="checks"/> failed, with the first storage code among them (else
    /// PreflightFailed) and each failure in words between <paramref name="lead"/> and <paramref name="tail"/>. True when it did.
    /// </summary>
    public async Task<bool> FailOnChecksAsync(IReadOnlyList<PreflightCheck> checks, string lead, string tail)
    {
        var failed = checks.Where(c => !c.Passed).ToList();
        if (failed.Count == 0)
        {
            return false;
        }

        var code = failed.FirstOrDefault(c => c.Code is not null)?.Code ?? Storage.ObjectStoreException.PreflightFailed;
        await FailAsync(code, $"{lead} {string.Join("; ", failed.Select(c => $"{c.Name}: {c.Detail}"))} {tail}").ConfigureAwait(false);
        return true;
    }

    public async Task InterruptedAsync(string message)
    {
        await Relay.FlushAsync().ConfigureAwait(false);
        await _runs.InterruptAsync(Record.Id, message).ConfigureAwait(false);
    }

    /// <summary>Moves production to this record's version in the registry (one transaction) and records the success.</summary>
    public async Task SucceedAsync(Action<PromotionRecord> finish, string detail)
    {
        await Relay.FlushAsync().ConfigureAwait(false);
        await _runs.SucceedAsync(Record.Id, p =>
        {
            finish(p);
            p.ErrorCode = null;
        }, Audit("succeeded", detail)).ConfigureAwait(false);
    }

    private AuditEvent Audit(string outcome, string detail) => new()
    {
        At = _clock.GetUtcNow(), Actor = Record.RequestedBy, Action = $"{Record.Verb}.{outcome}", Subject = $"v{Record.VersionNumber}", Detail = detail,
    };
}

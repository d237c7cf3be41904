using LynqDashboard.Core;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using Microsoft.EntityFrameworkCore;

namespace LynqDashboard.Infrastructure.Registry;

/// <summary>The risk policy's versions on EF Core; a save and its audit line are one transaction.</summary>
public sealed class EfPolicyRegistry(IDbContextFactory<RegistryDbContext> contexts, TimeProvider clock) : IPolicyRegistry
{
    public const string SavedAction = "policy.saved";

    public async Task<IReadOnlyList<PolicyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Policies.AsNoTracking().OrderByDescending(p => p.Version).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<PolicyRecord?> GetActiveAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Policies.AsNoTracking().OrderByDescending(p => p.Version).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<PolicyRecord> SaveAsync(RiskPolicy policy, string by, string note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        if (policy.Validate() is { Count: > 0 } problems)
        {
            throw LynqException.Invalid([.. problems.Select(p => new FieldProblem(p.Key, p.Message))]);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var next = (await db.Policies.MaxAsync(p => (int?)p.Version, cancellationToken).ConfigureAwait(false) ?? 0) + 1;
        var now = clock.GetUtcNow();
        var record = PolicyRecord.For(policy, next, by, note?.Trim() ?? string.Empty, now);
        db.Policies.Add(record);
        db.AuditEvents.Add(new AuditEvent
        {
            At = now, Actor = by, Action = SavedAction, Subject = $"policy v{next}",
            Detail = $"{record.Name}; decline from {policy.DeclineCutoff:P1}" + (record.Note.Length > 0 ? $"; {record.Note}" : string.Empty),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            throw LynqException.Conflict($"Someone else saved policy version {next} a moment ago; reload the page to see it, then save again.", e);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return record;
    }

    public async Task<PolicyRecord> SeedAsync(RiskPolicy original, RiskPolicy configured, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(configured);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await db.Policies.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            return (await GetActiveAsync(cancellationToken).ConfigureAwait(false))!;
        }

        var now = clock.GetUtcNow();
        var seeded = PolicyRecord.For(configured, 2, "system", "the configured policy (Lynq:Scoring:RiskPolicy), stored at first start", now);
        db.Policies.Add(PolicyRecord.For(original, 1, "system", "the original LYNQ service's policy, kept for the record", now));
        db.Policies.Add(seeded);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Another process started at the same moment and seeded first: its versions stand.
            return (await GetActiveAsync(cancellationToken).ConfigureAwait(false))!;
        }

        return seeded;
    }

    // SQLite's SQLITE_CONSTRAINT_PRIMARYKEY or _UNIQUE, PostgreSQL's unique_violation.
}

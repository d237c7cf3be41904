using System.Globalization;
using System.Runtime.CompilerServices;
using LynqDashboard.Core.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace LynqDashboard.Infrastructure.Registry;

/// <summary>
/// The decision ledger and outcomes in the registry database. Appends and monitoring reads go through plain ADO.NET
/// (<see cref="DecisionRows"/>) for speed; browsing and pruning through EF.
/// </summary>
public sealed class EfDecisionStore(IDbContextFactory<RegistryDbContext> contexts, TimeProvider clock) : IDecisionStore
{
    /// <summary>How far ahead of this server's clock an observed_at may be (the caller's clock may run a little fast).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Longest request id kept (the column's length).</summary>
    public const int MaxRequestIdLength = 100;

    private const int LookupChunk = 500;

    public async Task AppendAsync(IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        if (decisions.Count == 0)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await DecisionRows.AppendAsync(db, decisions, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DecisionPage> QueryAsync(DecisionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var matching = Filter(db, query);
        var total = await matching.LongCountAsync(cancellationToken).ConfigureAwait(false);
        var page = await WithOutcomes(db, matching).Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 0, DecisionQuery.MaxTake))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new DecisionPage(total, [.. page.Select(e => new LedgerEntry(e.Decision, e.Outcome))]);
    }

    public async IAsyncEnumerable<LedgerEntry> StreamAsync(DecisionQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var entry in WithOutcomes(db, Filter(db, query)).AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return new LedgerEntry(entry.Decision, entry.Outcome);
        }
    }

    public async IAsyncEnumerable<MonitoredDecision> ReadForMonitoringAsync(
        int? modelNumber, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var postgres = db.Database.IsNpgsql();
        await using var reader = await DecisionRows.ReadMonitoredAsync(db, modelNumber, from, to, cancellationToken).ConfigureAwait(false);

        // A month holds a handful of distinct actions: one string each instead of one per row.
        var actions = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var at = DecisionRows.ReadTime(reader, 0, postgres);
            var features = DecisionRecord.UnpackFeatures(reader.GetFieldValue<byte[]>(1));
            var probability = reader.GetDouble(2);
            var action = reader.GetString(3);
            if (!actions.TryGetValue(action, out var shared))
            {
                actions[action] = shared = action;
            }

            bool? defaulted = reader.IsDBNull(4) ? null : reader.GetBoolean(4);
            yield return new MonitoredDecision(at, features, probability, shared, defaulted);
        }
    }

    public async IAsyncEnumerable<JoinedDecision> ReadJoinedAsync(DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var postgres = db.Database.IsNpgsql();
        await using var reader = await DecisionRows.ReadJoinedAsync(db, from, to, cancellationToken).ConfigureAwait(false);
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // Columns are read in order: the reader is sequential.
            var id = reader.GetInt64(0);
            var requestId = reader.GetString(1);
            var at = DecisionRows.ReadTime(reader, 2, postgres);
            int? model = reader.IsDBNull(3) ? null : reader.GetInt32(3);
            var features = DecisionRecord.UnpackFeatures(reader.GetFieldValue<byte[]>(4));
            var probability = reader.GetDouble(5);
            var action = Shared(strings, reader.GetString(6))!;
            int? shadow = reader.IsDBNull(7) ? null : int.TryParse(reader.GetString(7), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
            double? shadowProbability = reader.IsDBNull(8) ? null : reader.GetDouble(8);
            var shadowAction = reader.IsDBNull(9) ? null : Shared(strings, reader.GetString(9));
            var arm = reader.IsDBNull(10) ? null : Shared(strings, reader.GetString(10));
            bool? defaulted = reader.IsDBNull(11) ? null : reader.GetBoolean(11);
            DateTimeOffset? observed = reader.IsDBNull(12) ? null : DecisionRows.ReadTime(reader, 12, postgres);
            yield return new JoinedDecision(id, requestId, at, model, features, probability, action, shadow, shadowProbability, shadowAction, arm, defaulted, observed);
        }
    }

    // A window holds a handful of distinct actions and arms: one string each instead of one per row.
    private static string? Shared(Dictionary<string, string> strings, string value)
    {
        if (!strings.TryGetValue(value, out var shared))
        {
            strings[value] = shared = value;
        }

        return shared;
    }

    public async Task<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // An outcome belongs to its decision's request id and goes with it (found through the outcomes' key, not a scan of decisions).
        await db.Outcomes.Where(o => db.Decisions.Where(d => d.At < before).Select(d => d.RequestId).Contains(o.RequestId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        var removed = await db.Decisions.Where(d => d.At < before).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }

    public async Task<IReadOnlyList<OutcomeResult>> RecordOutcomesAsync(IReadOnlyList<OutcomeSubmission> outcomes, string recordedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentException.ThrowIfNullOrWhiteSpace(recordedBy);
        var now = clock.GetUtcNow();
        var problems = outcomes.Select(o => Problem(o, now)).ToArray();
        var ids = outcomes.Where((o, i) => problems[i] is null).Select(o => o.RequestId).Distinct(StringComparer.Ordinal).ToList();

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var known = new HashSet<string>(StringComparer.Ordinal);
        var stored = new Dictionary<string, OutcomeRecord>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(LookupChunk))
        {
            var keys = chunk.SelectMany(RequestKeys.Candidates).Distinct().ToList();
            var candidates = await db.Decisions.Where(d => keys.Contains(EF.Property<long>(d, DecisionRows.RequestKeyProperty))).Select(d => d.RequestId).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
            known.UnionWith(candidates.Intersect(chunk, StringComparer.Ordinal));
            foreach (var outcome in await db.Outcomes.AsNoTracking().Where(o => chunk.Contains(o.RequestId)).ToListAsync(cancellationToken).ConfigureAwait(false))
            {
                stored[outcome.RequestId] = outcome;
            }
        }

        var results = new OutcomeResult[outcomes.Count];
        await using var writer = await OutcomeWriter.OpenAsync(db, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < outcomes.Count; i++)
        {
            var submitted = outcomes[i];
            var id = submitted.RequestId ?? string.Empty;
            if (problems[i] is { } problem)
            {
                results[i] = new OutcomeResult(i, id, OutcomeVerdict.Invalid, problem);
                continue;
            }

            if (!stored.TryGetValue(id, out var existing) && !known.Contains(id))
            {
                results[i] = new OutcomeResult(i, id, OutcomeVerdict.UnknownRequest, $"no decision has request id '{id}'");
                continue;
            }

            if (existing is null)
            {
                var record = new OutcomeRecord { RequestId = id, Defaulted = submitted.Defaulted, ObservedAt = submitted.ObservedAt.ToUniversalTime(), RecordedAt = now, RecordedBy = recordedBy };

                // ON CONFLICT DO NOTHING: a submission racing this one for the same id wins or loses quietly; what it stored is read back.
                if (await writer.TryInsertAsync(record, cancellationToken).ConfigureAwait(false))
                {
                    stored[id] = record;
                    results[i] = new OutcomeResult(i, id, OutcomeVerdict.Recorded, "recorded");
                    continue;
                }

                existing = await writer.ReadAsync(id, cancellationToken).ConfigureAwait(false);
                stored[id] = existing;
            }

            results[i] = Same(existing, submitted)
                ? new OutcomeResult(i, id, OutcomeVerdict.AlreadyRecorded, "already recorded; nothing changed")
                : new OutcomeResult(i, id, OutcomeVerdict.Conflict,
                    $"a different outcome is already stored for '{id}' (defaulted {(existing.Defaulted ? "true" : "false")}, observed at {Iso(existing.ObservedAt)}, "
                    + $"reported by {existing.RecordedBy} at {Iso(existing.RecordedAt)}); it is kept and this one refused");
        }

        await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
        return results;
    }

    /// <summary>What is wrong with one submitted outcome, naming its field; null when it can be stored.</summary>
    public static string? Problem(OutcomeSubmission outcome, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (string.IsNullOrWhiteSpace(outcome.RequestId))
        {
            return "request_id is required";
        }

        if (outcome.RequestId.Length > MaxRequestIdLength)
        {
            return $"request_id is longer than {MaxRequestIdLength} characters";
        }

        if (outcome.ObservedAt > now + ClockSkew)
        {
            return $"observed_at {Iso(outcome.ObservedAt)} is in the future (this server's time is {Iso(now)})";
        }

        return null;
    }

    private static bool Same(OutcomeRecord stored, OutcomeSubmission submitted) =>
        stored.Defaulted == submitted.Defaulted && stored.ObservedAt.UtcTicks == submitted.ObservedAt.UtcTicks;

    private static string Iso(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static IQueryable<DecisionRecord> Filter(RegistryDbContext db, DecisionQuery query)
    {
        var decisions = db.Decisions.AsNoTracking();
        if (query.ModelNumber is { } number)
        {
            decisions = decisions.Where(d => d.ModelNumber == number);
        }

        if (query.FallbackOnly)
        {
            decisions = decisions.Where(d => d.IsFallback);
        }

        if (query.Action is { Length: > 0 } action)
        {
            decisions = decisions.Where(d => d.Action == action);
        }

        if (query.Channel is { Length: > 0 } channel)
        {
            decisions = decisions.Where(d => d.Channel == channel);
        }

        if (query.From is { } from)
        {
            decisions = decisions.Where(d => d.At >= from);
        }

        if (query.To is { } to)
        {
            decisions = decisions.Where(d => d.At < to);
        }

        return decisions;
    }

    private static IQueryable<Joined> WithOutcomes(RegistryDbContext db, IQueryable<DecisionRecord> decisions) =>
        from d in decisions
        join o in db.Outcomes.AsNoTracking() on d.RequestId equals o.RequestId into outcomes
        from o in outcomes.DefaultIfEmpty()
        orderby d.At descending, d.Id descending
        select new Joined { Decision = d, Outcome = o };

    private sealed class Joined
    {
        public required DecisionRecord Decision { get; init; }

        public OutcomeRecord? Outcome { get; init; }
    }
}

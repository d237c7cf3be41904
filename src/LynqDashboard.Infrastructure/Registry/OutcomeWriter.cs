using System.Data.Common;
using LynqDashboard.Core.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace LynqDashboard.Infrastructure.Registry;

/// <summary>
/// Inserts outcomes in one transaction with INSERT … ON CONFLICT DO NOTHING (SQLite and PostgreSQL alike): two
/// submissions of the same id at once never fail on the primary key; the one that lost reads what the other stored.
/// </summary>
internal sealed class OutcomeWriter : IAsyncDisposable
{
    private readonly RegistryDbContext _db;
    private readonly DbTransaction _transaction;
    private readonly DbCommand _insert;
    private readonly bool _postgres;

    private OutcomeWriter(RegistryDbContext db, DbTransaction transaction)
    {
        (_db, _transaction, _postgres) = (db, transaction, db.Database.IsNpgsql());
        _insert = db.Database.GetDbConnection().CreateCommand();
        _insert.Transaction = transaction;
        _insert.CommandText = "INSERT INTO outcomes (request_id, defaulted, observed_at, recorded_at, recorded_by) VALUES (@id, @defaulted, @observed, @recorded, @by) "
            + "ON CONFLICT (request_id) DO NOTHING";
    }

    public static async Task<OutcomeWriter> OpenAsync(RegistryDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var transaction = await db.Database.GetDbConnection().BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        return new OutcomeWriter(db, transaction);
    }

    /// <summary>False when an outcome for this id is already there (stored earlier or by a submission running now).</summary>
    public async Task<bool> TryInsertAsync(OutcomeRecord outcome, CancellationToken cancellationToken)
    {
        _insert.Parameters.Clear();
        DecisionRows.Add(_insert, "@id", outcome.RequestId);
        DecisionRows.Add(_insert, "@defaulted", outcome.Defaulted);
        DecisionRows.Add(_insert, "@observed", DecisionRows.TimeValue(_db, outcome.ObservedAt));
        DecisionRows.Add(_insert, "@recorded", DecisionRows.TimeValue(_db, outcome.RecordedAt));
        DecisionRows.Add(_insert, "@by", outcome.RecordedBy);
        return await _insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<OutcomeRecord> ReadAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var command = _db.Database.GetDbConnection().CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = "SELECT defaulted, observed_at, recorded_at, recorded_by FROM outcomes WHERE request_id = @id";
        DecisionRows.Add(command, "@id", requestId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"The outcome of '{requestId}' was neither inserted nor found.");
        }

        return new OutcomeRecord
        {
            RequestId = requestId,
            Defaulted = reader.GetBoolean(0),
            ObservedAt = DecisionRows.ReadTime(reader, 1, _postgres),
            RecordedAt = DecisionRows.ReadTime(reader, 2, _postgres),
            RecordedBy = reader.GetString(3),
        };
    }

    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _insert.DisposeAsync().ConfigureAwait(false);
        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _db.Database.CloseConnectionAsync().ConfigureAwait(false);
    }
}

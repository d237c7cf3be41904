using System.Buffers.Binary;
using System.Data;
using System.Data.Common;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using NpgsqlTypes;

namespace LynqDashboard.Infrastructure.Registry;

/// <summary>
/// The ledger's hot path in plain ADO.NET, beside EF's model of the same tables: batches of decisions go in at the
/// scoring API's rate (one prepared INSERT reused in one transaction on SQLite, binary COPY on PostgreSQL), and
/// monitoring reads a month of decisions as a stream of the few columns it needs.
/// </summary>
internal static class DecisionRows
{
    // The columns an append writes, in order (id is the database's).
    /// <summary>The EF shadow property (column request_key) holding <see cref="RequestKeys.Of"/> of the request id.</summary>
    public const string RequestKeyProperty = "RequestKey";

    private const string Columns = "at, request_id, request_key, channel, caller, model_version, model_number, model_sha256, policy_version, features, "
        + "default_probability, credit_score, risk_level, action, decision_reason, reason_codes, reason_catalogue_version, is_fallback, "
        + "shadow_version, shadow_probability, shadow_action, shadow_reason_codes, experiment_arm";

    private static readonly int ColumnCount = Columns.Split(',').Length;

    // Exactly what EF writes and reads on SQLite (the context's convention), so rows written here read back through EF.
    private static readonly Func<DateTimeOffset, long> ToBinary = new DateTimeOffsetToBinaryConverter().ConvertToProviderExpression.Compile();
    private static readonly Func<long, DateTimeOffset> FromBinary = new DateTimeOffsetToBinaryConverter().ConvertFromProviderExpression.Compile();

    /// <summary>A time as this database's column holds it: the binary long on SQLite, UTC timestamptz on PostgreSQL.</summary>
    public static object TimeValue(RegistryDbContext db, DateTimeOffset time) =>
        db.Database.IsNpgsql() ? time.ToUniversalTime() : ToBinary(time.ToUniversalTime());

    public static DateTimeOffset ReadTime(DbDataReader reader, int ordinal, bool postgres) =>
        postgres ? reader.GetFieldValue<DateTimeOffset>(ordinal) : FromBinary(reader.GetInt64(ordinal));

    public static async Task AppendAsync(RegistryDbContext db, IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (db.Database.GetDbConnection() is NpgsqlConnection postgres)
            {
                await CopyAsync(postgres, decisions, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await InsertAsync(db.Database.GetDbConnection(), decisions, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Opens a reader over one version's decisions in [from, to) in time order, each with its outcome's defaulted (or NULL).</summary>
    public static async Task<DbDataReader> ReadMonitoredAsync(RegistryDbContext db, int? modelNumber, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "SELECT d.at, d.features, d.default_probability, d.action, o.defaulted FROM decisions d "
            + "LEFT JOIN outcomes o ON o.request_id = d.request_id "
            + $"WHERE {(modelNumber is null ? "d.model_number IS NULL" : "d.model_number = @number")} AND d.at >= @from AND d.at < @to ORDER BY d.at, d.id";
        Add(command, "@number", modelNumber);
        Add(command, "@from", TimeValue(db, from));
        Add(command, "@to", TimeValue(db, to));
        return await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every decision in [from, to) with its shadow columns and outcome, in decision order (<see cref="IDecisionStore.ReadJoinedAsync"/>).</summary>
    public static async Task<DbDataReader> ReadJoinedAsync(RegistryDbContext db, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "SELECT d.id, d.request_id, d.at, d.model_number, d.features, d.default_probability, d.action, "
            + "d.shadow_version, d.shadow_probability, d.shadow_action, d.experiment_arm, o.defaulted, o.observed_at FROM decisions d "
            + "LEFT JOIN outcomes o ON o.request_id = d.request_id WHERE d.at >= @from AND d.at < @to ORDER BY d.at, d.id";
        Add(command, "@from", TimeValue(db, from));
        Add(command, "@to", TimeValue(db, to));
        return await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
    }

    public static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private static async Task InsertAsync(DbConnection connection, IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken)
    {
        // WAL with synchronous=NORMAL stays consistent after a crash; only the last batches before a power cut could be
        // lost, and the ledger counts what it drops anyway. The index pages get room to stay in memory between batches.
        await ExecuteAsync(connection, "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;", cancellationToken).ConfigureAwait(false);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            SqliteRowInserter.Insert((Microsoft.Data.Sqlite.SqliteConnection)connection, $"INSERT INTO decisions ({Columns}) VALUES ({string.Join(", ", Enumerable.Range(1, ColumnCount).Select(i => $"?{i}"))})", decisions, ToBinary);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The pooled connection goes back to serving the audit log and the registry at full durability.
            await ExecuteAsync(connection, "PRAGMA synchronous=FULL;", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken)
    {
        await using var import = await connection.BeginBinaryImportAsync($"COPY decisions ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        foreach (var d in decisions)
        {
            await import.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(d.At.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(d.RequestId, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(RequestKeys.Of(d.RequestId), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(d.Channel, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(d.Caller, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(d.ModelVersion, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await WriteOrNullAsync(import, d.ModelNumber, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(d.ModelSha256, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(d.PolicyVersion, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(d.Features, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(d.DefaultProbability, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(d.CreditScore, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(d.RiskLevel, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(d.Action, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(d.DecisionReason, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(d.ReasonCodes, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(d.ReasonCatalogueVersion, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(d.IsFallback, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
            await WriteOrNullAsync(import, d.ShadowVersion, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await WriteOrNullAsync(import, d.ShadowProbability, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await WriteOrNullAsync(import, d.ShadowAction, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await WriteOrNullAsync(import, d.ShadowReasonCodes, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await WriteOrNullAsync(import, d.ExperimentArm, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
        }

        await import.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task WriteOrNullAsync<T>(NpgsqlBinaryImporter import, T? value, NpgsqlDbType type, CancellationToken cancellationToken) where T : class =>
        value is null ? import.WriteNullAsync(cancellationToken) : import.WriteAsync(value, type, cancellationToken);

    private static Task WriteOrNullAsync<T>(NpgsqlBinaryImporter import, T? value, NpgsqlDbType type, CancellationToken cancellationToken) where T : struct =>
        value is { } present ? import.WriteAsync(present, type, cancellationToken) : import.WriteNullAsync(cancellationToken);
}

using LynqDashboard.Core.Monitoring;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LynqDashboard.Infrastructure.Registry;

/// <summary>
/// The ledger's SQLite inserts on SQLite's own statement API: one prepared statement bound by position and stepped per
/// row. Through ADO.NET each execution looks every parameter up by name and builds a reader, several times the cost of
/// the insert itself, and this runs at the scoring API's rate on the cores that answer it.
/// </summary>
internal static class SqliteRowInserter
{
    private const int Done = 101; // SQLITE_DONE

    /// <summary>Inserts the decisions with <paramref name="sql"/> (one positional parameter per column, ?1…, in DecisionRows' column order) inside the connection's open transaction.</summary>
    public static void Insert(SqliteConnection connection, string sql, IReadOnlyList<DecisionRecord> decisions, Func<DateTimeOffset, long> timeValue)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        using (statement)
        {
            foreach (var d in decisions)
            {
                var i = 1;
                raw.sqlite3_bind_int64(statement, i++, timeValue(d.At.ToUniversalTime()));
                Text(statement, i++, d.RequestId);
                raw.sqlite3_bind_int64(statement, i++, RequestKeys.Of(d.RequestId));
                Text(statement, i++, d.Channel);
                Text(statement, i++, d.Caller);
                Text(statement, i++, d.ModelVersion);
                Integer(statement, i++, d.ModelNumber);
                Text(statement, i++, d.ModelSha256);
                raw.sqlite3_bind_int64(statement, i++, d.PolicyVersion);
                raw.sqlite3_bind_blob(statement, i++, d.Features);
                raw.sqlite3_bind_double(statement, i++, d.DefaultProbability);
                raw.sqlite3_bind_int64(statement, i++, d.CreditScore);
                Text(statement, i++, d.RiskLevel);
                Text(statement, i++, d.Action);
                Text(statement, i++, d.DecisionReason);
                Text(statement, i++, d.ReasonCodes);
                Text(statement, i++, d.ReasonCatalogueVersion);
                raw.sqlite3_bind_int64(statement, i++, d.IsFallback ? 1 : 0);
                Text(statement, i++, d.ShadowVersion);
                if (d.ShadowProbability is { } shadow)
                {
                    raw.sqlite3_bind_double(statement, i++, shadow);
                }
                else
                {
                    raw.sqlite3_bind_null(statement, i++);
                }

                Text(statement, i++, d.ShadowAction);
                Text(statement, i++, d.ShadowReasonCodes);
                Text(statement, i, d.ExperimentArm);
                var step = raw.sqlite3_step(statement);
                if (step != Done)
                {
                    Check(db, step);
                }

                raw.sqlite3_reset(statement);
            }
        }
    }

    private static void Text(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(statement, index);
        }
        else
        {
            raw.sqlite3_bind_text(statement, index, value);
        }
    }

    private static void Integer(sqlite3_stmt statement, int index, int? value)
    {
        if (value is { } present)
        {
            raw.sqlite3_bind_int64(statement, index, present);
        }
        else
        {
            raw.sqlite3_bind_null(statement, index);
        }
    }

    private static void Check(sqlite3 db, int code)
    {
        if (code != raw.SQLITE_OK && code != Done)
        {
            throw new SqliteException($"SQLite refused the decisions batch: {raw.sqlite3_errmsg(db).utf8_to_string()}", code);
        }
    }
}

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

    /// <summary>How long an insert waits for another writer to finish (ADO.NET's default command timeout).</summary>
    private const int BusyMilliseconds = 30_000;

    /// <summary>Inserts the decisions with <paramref name="sql"/> (one positional parameter per column, ?1…, in DecisionRows' column order) inside the connection's open transaction.</summary>
    public static void Insert(SqliteConnection connection, string sql, IReadOnlyList<DecisionRecord> decisions, Func<DateTimeOffset, long> timeValue)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");

        // ADO.NET retries a busy database itself; SQLite's own API answers SQLITE_BUSY at once while another connection
        // (the API keys' last-used times, an outcome upload) writes. SQLite's busy handler waits as ADO.NET would.
        raw.sqlite3_busy_timeout(db, BusyMilliseconds);
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
                Check(db, Step(statement));
                raw.sqlite3_reset(statement);
            }
        }
    }

    // The registry opens SQLite in shared-cache mode, where a reader of the table in this process (a page listing
    // decisions) makes a step answer SQLITE_LOCKED, which no busy handler waits for: retry as ADO.NET does, with the
    // bindings kept, until the same 30 s.
    private static int Step(sqlite3_stmt statement)
    {
        var deadline = Environment.TickCount64 + BusyMilliseconds;
        while (true)
        {
            var code = raw.sqlite3_step(statement);
            if ((code & 0xFF) is not (raw.SQLITE_BUSY or raw.SQLITE_LOCKED) || Environment.TickCount64 > deadline)
            {
                return code;
            }

            raw.sqlite3_reset(statement);
            Thread.Sleep(5);
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

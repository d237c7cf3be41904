using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LynqDashboard.Infrastructure.Registry;

/// <summary>Brings the registry database to the current schema at start-up, waiting briefly for a database that is still starting.</summary>
public static class RegistryDatabase
{
    public static Task MigrateAsync(IDbContextFactory<RegistryDbContext> contexts, CancellationToken cancellationToken = default) =>
        MigrateAsync(contexts, TimeSpan.Zero, null, cancellationToken);

    /// <param name="contexts">The registry's contexts.</param>
    /// <param name="wait">How long to keep trying while the database cannot be reached (a server in a container next door may still be starting).</param>
    /// <param name="logger">Where each failed attempt is reported; may be null.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public static async Task MigrateAsync(IDbContextFactory<RegistryDbContext> contexts, TimeSpan wait, ILogger? logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        var deadline = DateTime.UtcNow + wait;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
                if (db.Database.IsNpgsql() && new Npgsql.NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).SearchPath is { Length: > 0 } schema)
                {
                    // The registry's tables go to the first schema on the search path, which must exist first. Identifiers
                    // cannot be parameters; this one comes from validated configuration and is quoted.
#pragma warning disable EF1003
                    await db.Database.ExecuteSqlRawAsync("CREATE SCHEMA IF NOT EXISTS " + QuotedIdentifier(schema.Split(',')[0].Trim()), cancellationToken).ConfigureAwait(false);
#pragma warning restore EF1003
                }

                await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
                if (db.Database.IsSqlite())
                {
                    // Write-ahead logging: pages keep reading while jobs write progress.
                    await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (Exception e) when (IsUnreachable(e) && DateTime.UtcNow < deadline)
            {
                logger?.LogWarning("The registry database cannot be reached yet (attempt {Attempt}: {Reason}); trying again", attempt, Innermost(e).Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, attempt)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A PostgreSQL identifier in quotes; configuration validates schema names, this keeps any quote harmless.</summary>
    public static string QuotedIdentifier(string name) => "\"" + (name ?? throw new ArgumentNullException(nameof(name))).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static bool IsUnreachable(Exception e) =>
        e is DbException or TimeoutException or System.Net.Sockets.SocketException || (e.InnerException is { } inner && IsUnreachable(inner));

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}

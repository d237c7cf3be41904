using LynqDashboard.Core.Registry;
using LynqDashboard.Infrastructure.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace LynqDashboard.Infrastructure;

/// <summary>Where the registry lives: a SQLite file (embedded) or a PostgreSQL database shared by several processes.</summary>
/// <param name="PostgresConnectionString">The PostgreSQL connection string; null for SQLite.</param>
/// <param name="SqlitePath">The SQLite file, read from services when the first context is made (used when PostgreSQL is not).</param>
/// <param name="Schema">The PostgreSQL schema of the registry's tables (default lynq).</param>
public sealed record RegistryConnection(string? PostgresConnectionString, Func<IServiceProvider, string> SqlitePath, string Schema = "lynq")
{
    public static RegistryConnection Sqlite(string path) => new(null, _ => path);

    public bool IsPostgres => PostgresConnectionString is not null;

    /// <summary>The connection string with the registry's schema first on the search path, so its tables live there.</summary>
    public string PostgresWithSchema() => new NpgsqlConnectionStringBuilder(PostgresConnectionString) { SearchPath = Schema }.ConnectionString;
}

/// <summary>The infrastructure project's one place that registers its services.</summary>
public static class InfrastructureServiceRegistration
{
    /// <summary>The registry on a SQLite file (<paramref name="databasePath"/>), with migrations applied by <see cref="RegistryDatabase"/>.</summary>
    public static IServiceCollection AddLynqInfrastructure(this IServiceCollection services, string databasePath) =>
        services.AddLynqInfrastructure(RegistryConnection.Sqlite(databasePath));

    public static IServiceCollection AddLynqInfrastructure(this IServiceCollection services, RegistryConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        services.TryAddSingleton(TimeProvider.System);
        if (connection.IsPostgres)
        {
            var options = new DbContextOptionsBuilder<PostgresRegistryDbContext>()
                .UseNpgsql(connection.PostgresWithSchema(), npgsql => npgsql.MigrationsHistoryTable("__EFMigrationsHistory", connection.Schema))
                .Options;
            services.AddSingleton<IDbContextFactory<RegistryDbContext>>(new PostgresRegistryContextFactory(options));
        }
        else
        {
            services.AddDbContextFactory<RegistryDbContext>((provider, options) => options.UseSqlite($"Data Source={connection.SqlitePath(provider)};Cache=Shared"));
        }

        // Identity and data protection ask for a context per request or circuit.
        services.TryAddScoped(provider => provider.GetRequiredService<IDbContextFactory<RegistryDbContext>>().CreateDbContext());
        services.AddSingleton(connection);
        services.AddSingleton<IModelRegistry, EfModelRegistry>();
        services.AddSingleton<EfPromotionRegistry>();
        services.AddSingleton<IPromotionRegistry>(provider => provider.GetRequiredService<EfPromotionRegistry>());
        services.AddSingleton<IAuditLog>(provider => provider.GetRequiredService<EfPromotionRegistry>());
        services.AddSingleton<IApiKeyStore, EfApiKeyStore>();
        services.AddSingleton<Core.Access.IUserSessionStore, EfUserSessionStore>();
        return services;
    }
}

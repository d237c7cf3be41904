using Amazon.S3;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Reports;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Storage;
using LynqDashboard.Infrastructure.Registry;
using LynqDashboard.Infrastructure.Reports;
using LynqDashboard.Infrastructure.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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

/// <summary>The infrastructure project's one place that registers its services: the registry, the documentation pack, and S3.</summary>
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
        services.AddSingleton<IPolicyRegistry, EfPolicyRegistry>();
        services.AddSingleton<Core.Governance.IPromotionRequestRegistry, EfPromotionRequestRegistry>();
        services.AddSingleton<Core.Access.IUserSessionStore, EfUserSessionStore>();
        services.AddSingleton<Core.Monitoring.IDecisionStore, EfDecisionStore>();
        services.AddSingleton<Core.Monitoring.IMonitoringStore, EfMonitoringStore>();
        services.AddSingleton<Core.Retraining.IRetrainingStore, EfRetrainingStore>();

        // The documentation pack: the host supplies the IArtifactStore and, once governance is wired, the promotion requests.
        services.AddSingleton<ModelReportBuilder>();
        services.AddSingleton<IModelReports, ModelReports>();
        return services;
    }

    /// <summary>
    /// S3, the one client setup for every bucket: <see cref="S3Options"/> validated at start, an
    /// <see cref="IObjectStoreFactory"/> over one client (made when a bucket is first used, so a missing region fails
    /// that use in words instead of the start), and the scoring node's <see cref="S3ModelSource"/>, which needs an
    /// <see cref="S3ModelLocation"/> from the host when it is used.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="keyOf">The key a validation message names for an option (default Lynq:S3:{property}).</param>
    /// <returns>The options, for the host to bind (configuration) or fill (command-line options).</returns>
    public static OptionsBuilder<S3Options> AddLynqObjectStore(this IServiceCollection services, Func<string, string>? keyOf = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IValidateOptions<S3Options>>(new S3OptionsValidator(keyOf));
        services.AddSingleton<IObjectStoreFactory>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<S3Options>>().Value;
            var endpoint = options.ToEndpoint();
            return new S3ObjectStoreFactory(new Lazy<IAmazonS3>(endpoint.CreateClient), endpoint, options.PartSizeBytes);
        });
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<S3ModelSource>(provider));
        return services.AddOptions<S3Options>().ValidateOnStart();
    }
}

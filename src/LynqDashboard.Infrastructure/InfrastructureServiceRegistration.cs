using LynqDashboard.Core.Registry;
using LynqDashboard.Infrastructure.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LynqDashboard.Infrastructure;

/// <summary>The infrastructure project's one place that registers its services.</summary>
public static class InfrastructureServiceRegistration
{
    /// <summary>The registry on a SQLite file (<paramref name="databasePath"/>), with migrations applied by <see cref="RegistryDatabase"/>.</summary>
    public static IServiceCollection AddLynqInfrastructure(this IServiceCollection services, string databasePath) =>
        services.AddLynqInfrastructure(_ => databasePath);

    /// <summary>Same, with the database path read from services (options) when the first context is made.</summary>
    public static IServiceCollection AddLynqInfrastructure(this IServiceCollection services, Func<IServiceProvider, string> databasePath)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddDbContextFactory<RegistryDbContext>((provider, options) => options.UseSqlite($"Data Source={databasePath(provider)};Cache=Shared"));
        services.AddSingleton<IModelRegistry, EfModelRegistry>();
        services.AddSingleton<EfPromotionRegistry>();
        services.AddSingleton<IPromotionRegistry>(provider => provider.GetRequiredService<EfPromotionRegistry>());
        services.AddSingleton<IAuditLog>(provider => provider.GetRequiredService<EfPromotionRegistry>());
        services.AddSingleton<IApiKeyStore, EfApiKeyStore>();
        return services;
    }
}

using LynqDashboard.Core.Registry;
using LynqDashboard.Infrastructure.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Infrastructure.Tests;

/// <summary>A fresh data folder with a migrated SQLite registry file; removed on dispose.</summary>
public sealed class RegistryFixture : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private RegistryFixture(string root, ServiceProvider services)
    {
        Data = new DataDirectory(root);
        _services = services;
        Registry = services.GetRequiredService<IModelRegistry>();
    }

    public DataDirectory Data { get; }

    public IModelRegistry Registry { get; }

    public IDbContextFactory<RegistryDbContext> Contexts => _services.GetRequiredService<IDbContextFactory<RegistryDbContext>>();

    /// <param name="postgres">A PostgreSQL connection string (an empty database); null for a SQLite file in the data folder.</param>
    public static async Task<RegistryFixture> CreateAsync(string? postgres = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "lynq-infra-tests", Guid.NewGuid().ToString("N"));
        var data = new DataDirectory(root);
        data.EnsureCreated();
        var connection = postgres is null ? RegistryConnection.Sqlite(data.RegistryDatabase) : new RegistryConnection(postgres, _ => data.RegistryDatabase);
        var services = new ServiceCollection().AddLynqInfrastructure(connection).BuildServiceProvider();
        await RegistryDatabase.MigrateAsync(services.GetRequiredService<IDbContextFactory<RegistryDbContext>>());
        return new RegistryFixture(root, services);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
        Directory.Delete(Data.Root, recursive: true);
    }
}

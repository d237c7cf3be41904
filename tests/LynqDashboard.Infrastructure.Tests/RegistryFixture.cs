using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Infrastructure.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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

    public static async Task<RegistryFixture> CreateAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "lynq-infra-tests", Guid.NewGuid().ToString("N"));
        var data = new DataDirectory(root);
        data.EnsureCreated();
        var services = new ServiceCollection().AddLynqInfrastructure(data.RegistryDatabase).BuildServiceProvider();
        await RegistryDatabase.MigrateAsync(services.GetRequiredService<IDbContextFactory<RegistryDbContext>>());
        return new RegistryFixture(root, services);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Data.Root, recursive: true);
    }
}

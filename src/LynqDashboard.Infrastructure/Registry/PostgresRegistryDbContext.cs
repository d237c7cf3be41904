using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LynqDashboard.Infrastructure.Registry;

/// <summary>The registry on PostgreSQL: the same model, timestamptz for times, and migrations of its own (Registry/Postgres/Migrations).</summary>
public sealed class PostgresRegistryDbContext(DbContextOptions<PostgresRegistryDbContext> options) : RegistryDbContext(options)
{
    protected override bool StoresTimesAsBinary => false;
}

/// <summary>Hands out PostgreSQL contexts where the app asks for registry contexts.</summary>
internal sealed class PostgresRegistryContextFactory(DbContextOptions<PostgresRegistryDbContext> options) : IDbContextFactory<RegistryDbContext>
{
    public RegistryDbContext CreateDbContext() => new PostgresRegistryDbContext(options);
}

/// <summary>Lets `dotnet ef migrations add --context PostgresRegistryDbContext` build the model without a server.</summary>
internal sealed class DesignTimePostgresRegistryFactory : IDesignTimeDbContextFactory<PostgresRegistryDbContext>
{
    public PostgresRegistryDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresRegistryDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}

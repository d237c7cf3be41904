using System.Data.Common;
using LynqDashboard.Core.Registry;
using LynqDashboard.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace LynqDashboard.Infrastructure.Tests.Promotion;

/// <summary>The audit log is append-only in the database itself: not even raw SQL can change or remove a line.</summary>
public abstract class AuditLogTests
{
    protected abstract Task<RegistryFixture> CreateFixtureAsync();

    [Fact]
    public async Task AuditEvents_CanBeAddedAndRead_ButNeverUpdatedOrDeleted()
    {
        await using var fixture = await CreateFixtureAsync();
        var log = new LynqDashboard.Infrastructure.Registry.EfPromotionRegistry(fixture.Contexts, TimeProvider.System);
        await log.AppendAsync(new AuditEvent { Actor = "a@lynq.test", Action = "promotion.requested", Subject = "v1" });
        await log.AppendAsync(new AuditEvent { Actor = "b@lynq.test", Action = "rollback.requested", Subject = "v2" });

        Assert.Equal(["rollback.requested", "promotion.requested"], (await log.ListAsync()).Select(e => e.Action));

        await using var db = await fixture.Contexts.CreateDbContextAsync();
        var update = await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("UPDATE audit_events SET actor = 'mallory'"));
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        var delete = await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_events"));
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        Assert.Equal(["b@lynq.test", "a@lynq.test"], (await log.ListAsync()).Select(e => e.Actor));
    }
}

public sealed class SqliteAuditLogTests : AuditLogTests
{
    protected override Task<RegistryFixture> CreateFixtureAsync() => RegistryFixture.CreateAsync();
}

public sealed class PostgresAuditLogTests(PostgresServerFixture server) : AuditLogTests, IClassFixture<PostgresServerFixture>
{
    protected override async Task<RegistryFixture> CreateFixtureAsync() => await RegistryFixture.CreateAsync(await server.CreateDatabaseAsync());
}

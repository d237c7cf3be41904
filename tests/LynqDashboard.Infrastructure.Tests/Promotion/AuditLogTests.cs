using LynqDashboard.Core.Registry;
using Microsoft.EntityFrameworkCore;

namespace LynqDashboard.Infrastructure.Tests.Promotion;

/// <summary>The audit log is append-only in the database itself: not even raw SQL can change or remove a line.</summary>
public sealed class AuditLogTests
{
    [Fact]
    public async Task AuditEvents_CanBeAddedAndRead_ButNeverUpdatedOrDeleted()
    {
        await using var fixture = await RegistryFixture.CreateAsync();
        var log = new LynqDashboard.Infrastructure.Registry.EfPromotionRegistry(fixture.Contexts, TimeProvider.System);
        await log.AppendAsync(new AuditEvent { Actor = "a@lynq.test", Action = "promotion.requested", Subject = "v1" });
        await log.AppendAsync(new AuditEvent { Actor = "b@lynq.test", Action = "rollback.requested", Subject = "v2" });

        Assert.Equal(["rollback.requested", "promotion.requested"], (await log.ListAsync()).Select(e => e.Action));

        await using var db = await fixture.Contexts.CreateDbContextAsync();
        var update = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => db.Database.ExecuteSqlRawAsync("UPDATE audit_events SET actor = 'mallory'"));
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_events"));
        Assert.Equal(["b@lynq.test", "a@lynq.test"], (await log.ListAsync()).Select(e => e.Actor));
    }
}

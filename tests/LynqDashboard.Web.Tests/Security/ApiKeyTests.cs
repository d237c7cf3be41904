using LynqDashboard.Core;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Registry;
using LynqDashboard.Web.Scoring;
using LynqDashboard.Web.Security;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Tests.Security;

/// <summary>Scoring API keys made in the dashboard: shown once, stored as a hash, working until revoked.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ApiKeyTests
{
    [Fact]
    public async Task KeyMadeByAnAdmin_Scores_IsStoredOnlyAsItsHash_AndStopsTheMomentItIsRevoked()
    {
        await using var factory = new DashboardFactory();
        using var client = factory.CreateClient();
        await using var scope = factory.Services.CreateAsyncScope();
        CircuitUser.SignIn(scope.ServiceProvider, DashboardFactory.AdminEmail, LynqRoles.Admin);
        var admin = scope.ServiceProvider.GetRequiredService<AdminActions>();

        var (record, key) = await admin.CreateKeyAsync("lending backend");

        Assert.StartsWith(ApiKeyRing.KeyPrefix, key, StringComparison.Ordinal);
        Assert.True(key.Length >= 45, "a key carries 256 random bits");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), record.Sha256);
        Assert.Equal(key[..9], record.Prefix);
        Assert.Equal(HttpStatusCode.OK, (await InfoAsync(client, key)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await InfoAsync(client, key[..^1] + (key[^1] == 'A' ? 'B' : 'A'))).StatusCode);

        // Nothing but the hash reaches the database file, nor the audit log.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var database = Path.Combine(factory.DataDirectory, "registry.db");
        var bytes = string.Concat(new[] { database, database + "-wal" }.Where(File.Exists).Select(f => Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        Assert.DoesNotContain(key, bytes, StringComparison.Ordinal);
        Assert.DoesNotContain(key[12..40], bytes, StringComparison.Ordinal);
        Assert.Contains(record.Sha256, bytes, StringComparison.Ordinal);
        var audit = await factory.Services.GetRequiredService<IAuditLog>().ListAsync(0, 50);
        Assert.Contains(audit, a => a.Action == "apikey.created" && a.Actor == DashboardFactory.AdminEmail && a.Subject.StartsWith("lending backend", StringComparison.Ordinal));
        Assert.DoesNotContain(audit, a => a.Subject.Contains(key, StringComparison.Ordinal) || a.Detail.Contains(key, StringComparison.Ordinal));

        // Use is recorded (in memory first, stored in batches).
        var usage = factory.Services.GetRequiredService<ApiKeyRing>().TakeUsage();
        Assert.True(usage.ContainsKey(record.Id));

        await admin.RevokeKeyAsync(record.Id);

        Assert.Equal(HttpStatusCode.Unauthorized, (await InfoAsync(client, key)).StatusCode);
        var listed = (await admin.ListKeysAsync()).Single(k => k.Id == record.Id);
        Assert.Equal(DashboardFactory.AdminEmail, listed.RevokedBy);
        Assert.False(listed.IsActive);
        await Assert.ThrowsAsync<LynqException>(() => admin.RevokeKeyAsync(record.Id));
    }

    [Fact]
    public async Task ConfiguredKeys_KeepWorkingBesideDashboardKeys()
    {
        await using var factory = new DashboardFactory { Settings = { ["Lynq:Scoring:ApiKeys:0"] = "configured-key-0123456789abcdef" } };
        using var client = factory.CreateClient();
        await using var scope = factory.Services.CreateAsyncScope();
        CircuitUser.SignIn(scope.ServiceProvider, DashboardFactory.AdminEmail, LynqRoles.Admin);
        var (_, made) = await scope.ServiceProvider.GetRequiredService<AdminActions>().CreateKeyAsync("batch job");

        Assert.Equal(HttpStatusCode.OK, (await InfoAsync(client, "configured-key-0123456789abcdef")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await InfoAsync(client, made)).StatusCode);
    }

    [Fact]
    public void Ring_MatchesOnlyTheWholeKey_WhereverItStandsAmongMany()
    {
        var ring = new ApiKeyRing(Options.Create(new Web.Configuration.ScoringOptions { ApiKeys = ["configured-key-0123456789abcdef"] }), TimeProvider.System);
        var keys = Enumerable.Range(0, 50).Select(_ => ApiKeyRing.NewKey()).ToList();
        ring.Load(keys.Select((k, i) => new ApiKeyRecord { Name = $"k{i}", Prefix = k[..9], Sha256 = ApiKeyRing.Sha256Hex(k), CreatedBy = "t", RevokedAt = i == 7 ? DateTimeOffset.UtcNow : null }));

        Assert.True(ring.IsValid(keys[0]));
        Assert.True(ring.IsValid(keys[25]));
        Assert.True(ring.IsValid(keys[^1]));
        Assert.True(ring.IsValid("configured-key-0123456789abcdef"));
        Assert.False(ring.IsValid(keys[7])); // revoked
        Assert.False(ring.IsValid(keys[0][..^1]));
        Assert.False(ring.IsValid(keys[0] + "x"));
        Assert.False(ring.IsValid(keys[0].ToUpperInvariant()));
        Assert.False(ring.IsValid(string.Empty));
        Assert.False(ring.IsValid(null));
        Assert.Equal(51 - 1, ring.Count);
    }

    private static Task<HttpResponseMessage> InfoAsync(HttpClient client, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/model/info");
        request.Headers.Add(ApiKeyRing.Header, key);
        return client.SendAsync(request);
    }
}

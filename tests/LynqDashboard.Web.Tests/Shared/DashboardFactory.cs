using LynqDashboard.Core.Access;
using LynqDashboard.Infrastructure.Identity;
using LynqDashboard.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Web.Tests.Shared;

/// <summary>The web app in-process on a fresh data folder (SQLite registry file, real Hangfire server, a known Admin).</summary>
public sealed class DashboardFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@lynq.test";

    /// <summary>The password of every account the tests make.</summary>
    public const string Password = "Test-Password-2026";

    private readonly string _defaultData = Path.Combine(Path.GetTempPath(), "lynq-web-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Reuse a data folder (restart tests); a fresh one otherwise.</summary>
    public string? DataDirectoryOverride { get; init; }

    /// <summary>More configuration keys for this host.</summary>
    public Dictionary<string, string> Settings { get; init; } = [];

    /// <summary>Leave the data folder in place on dispose (a later host reopens it).</summary>
    public bool KeepData { get; set; }

    public string DataDirectory => DataDirectoryOverride ?? _defaultData;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Lynq:DataDirectory", DataDirectory);
        builder.UseSetting("Lynq:Auth:AdminEmail", AdminEmail);
        builder.UseSetting("Lynq:Auth:AdminPassword", Password);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client signed in (through the real form) as someone holding <paramref name="role"/>; the account is made if needed.</summary>
    public Task<HttpClient> SignedInClientAsync(string role = LynqRoles.Admin) => SignedInClientAsync(this, role);

    /// <summary>The same for a host derived with WithWebHostBuilder (it is a host of its own).</summary>
    public static async Task<HttpClient> SignedInClientAsync(WebApplicationFactory<Program> app, string role = LynqRoles.Admin)
    {
        ArgumentNullException.ThrowIfNull(app);
        var email = role == LynqRoles.Admin ? AdminEmail : $"{role.ToLowerInvariant()}@lynq.test";
        await EnsureUserAsync(app.Services, email, role);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await FormSignIn.SignInAsync(client, email, Password);
        return client;
    }

    /// <summary>Makes an account with <paramref name="role"/> and the test password unless it exists.</summary>
    public Task EnsureUserAsync(string email, string role) => EnsureUserAsync(Services, email, role);

    private static async Task EnsureUserAsync(IServiceProvider services, string email, string role)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<LynqUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            return;
        }

        var user = new LynqUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
        var created = await users.CreateAsync(user, Password);
        if (!created.Succeeded || !(await users.AddToRoleAsync(user, role)).Succeeded)
        {
            throw new InvalidOperationException($"Could not make {email}: {string.Join(" ", created.Errors.Select(e => e.Description))}");
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!KeepData && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}

/// <summary>Polling helpers for jobs running on the real Hangfire server.</summary>
public static class Eventually
{
    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> read, Func<T, bool> done, TimeSpan timeout, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        T? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await read();
            if (last is not null && done(last))
            {
                return last;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}; last state: {System.Text.Json.JsonSerializer.Serialize(last)}");
    }
}

/// <summary>
/// Test classes that start the app run one at a time: Hangfire keeps its configuration (log provider, storage)
/// in static state, so two hosts alive at once in one process would share, and then dispose, each other's.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppHostCollection
{
    public const string Name = "app host";
}

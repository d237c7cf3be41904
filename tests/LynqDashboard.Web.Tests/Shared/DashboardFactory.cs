using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LynqDashboard.Web.Tests.Shared;

/// <summary>The web app in-process on a fresh data folder (SQLite registry file, real Hangfire server).</summary>
public sealed class DashboardFactory : WebApplicationFactory<Program>
{
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
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
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

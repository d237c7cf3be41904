using System.Diagnostics;
using Npgsql;

namespace LynqDashboard.Tests.Shared;

/// <summary>
/// A throwaway PostgreSQL cluster (Debian's server, installed by test.sh) in a temp folder on a free 127.0.0.1 port
/// for the test class; removed on dispose. Runs as the postgres user when the tests run as root, as initdb requires.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private const string User = "lynq";
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"lynq-pg-{Guid.NewGuid():N}");
    private Process? _server;

    public int Port { get; private set; }

    /// <summary>A connection string to <paramref name="database"/> on this cluster.</summary>
    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username={User};Database={database};Timeout=5";

    /// <summary>Makes an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        var database = name ?? $"lynq_{Guid.NewGuid():N}"[..20];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(database);
    }

    public async ValueTask InitializeAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL's server is not installed: run ./test.sh (it installs Debian's postgresql package).");
        }

        Directory.CreateDirectory(_root);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["postgres:postgres", _root]);
        }

        var data = Path.Combine(_root, "data");
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", User, "--auth=trust", "--encoding=UTF8", "--no-sync"], asRoot);
        Port = BuiltWebApp.FreePort();

        // Durability settings off: a test cluster trades crash safety for speed.
        _server = Start(Path.Combine(bin, "postgres"), ["-D", data, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", _root, "-c", "listen_addresses=127.0.0.1",
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"], asRoot);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline && !_server.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static Process Start(string file, string[] args, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asPostgres)
        {
            foreach (var arg in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task RunAsync(string file, string[] args, bool asPostgres = false)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (asPostgres ? new[] { "-u", "postgres", "--", file } : []).Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {output}");
        }
    }
}

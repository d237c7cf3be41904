using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;

namespace LynqDashboard.Tests.Shared;

/// <summary>
/// The built web app as a real child process on a free loopback port (a scoring node, a second web process, the
/// app a browser drives), with everything it prints kept for inspection; killed on dispose unless
/// <see cref="StopAsync"/> shut it down first. Shared by the tests and the benchmarks.
/// </summary>
public sealed class BuiltWebApp : IAsyncDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private BuiltWebApp(Process process, int port)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Port = port;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>LynqDashboard.Web.dll of the same configuration as the running assembly (Release when unknown).</summary>
    public static string Dll
    {
        get
        {
            var configuration = Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
            var preferred = Path.Combine(Root(), "src", "LynqDashboard.Web", "bin", configuration, "net10.0", "LynqDashboard.Web.dll");
            return File.Exists(preferred) ? preferred : Path.Combine(Root(), "src", "LynqDashboard.Web", "bin", "Release", "net10.0", "LynqDashboard.Web.dll");
        }
    }

    public HttpClient Client { get; }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Every line the process wrote to stdout and stderr so far.</summary>
    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>Seconds from process start to a ready /health.</summary>
    public double StartupSeconds { get; private set; }

    /// <summary>Starts the app on <paramref name="dataDirectory"/> and waits until /health answers and satisfies <paramref name="ready"/>.</summary>
    /// <param name="dataDirectory">LYNQ_DATA_DIR and the working directory.</param>
    /// <param name="environment">More environment variables (configuration keys with __ for :).</param>
    /// <param name="ready">Extra condition on the /health body; null for any answer.</param>
    /// <param name="timeout">How long to wait (default 60 s).</param>
    /// <param name="dll">The app to run (default <see cref="Dll"/>, the build output; a published copy serves its static files in Production too).</param>
    public static Task<BuiltWebApp> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment, Func<string, bool>? ready = null, TimeSpan? timeout = null, string? dll = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        Directory.CreateDirectory(dataDirectory);
        return StartOnAFreePortAsync(
            port =>
            {
                var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dataDirectory };
                foreach (var arg in new[] { dll ?? Dll, "--urls", $"http://127.0.0.1:{port}" })
                {
                    start.ArgumentList.Add(arg);
                }

                start.Environment["LYNQ_DATA_DIR"] = dataDirectory;
                foreach (var (key, value) in environment)
                {
                    start.Environment[key] = value;
                }

                return start;
            },
            ready,
            timeout ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// Starts the dashboard exactly the way the README tells a newcomer to (`dotnet run --project src/LynqDashboard.Web`
    /// from the repository root, building first), with environment variables only for the port and the data folder:
    /// no ASPNETCORE_ENVIRONMENT, no admin account, nothing else of the test's own environment that could change how it runs.
    /// </summary>
    /// <param name="dataDirectory">LYNQ_DATA_DIR.</param>
    /// <param name="extraArguments">Arguments after the README's, e.g. "-c", "Release", "--no-build".</param>
    /// <param name="timeout">How long the build and start may take.</param>
    public static Task<BuiltWebApp> StartLikeTheReadmeAsync(string dataDirectory, IReadOnlyList<string> extraArguments, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(extraArguments);
        return StartOnAFreePortAsync(
            port =>
            {
                var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root() };
                foreach (var arg in new[] { "run", "--project", "src/LynqDashboard.Web" }.Concat(extraArguments))
                {
                    start.ArgumentList.Add(arg);
                }

                foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)
                    || k.StartsWith("LYNQ_", StringComparison.Ordinal) || k.StartsWith("Lynq__", StringComparison.Ordinal)).ToList())
                {
                    start.Environment.Remove(variable);
                }

                start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
                start.Environment["LYNQ_DATA_DIR"] = dataDirectory;
                return start;
            },
            null,
            timeout);
    }

    /// <summary>
    /// A free port is only free when it is chosen: another process may take it before the app binds it (a cold
    /// `dotnet run` builds for minutes first). The app then says so and exits, and it is started again on another port.
    /// </summary>
    private static async Task<BuiltWebApp> StartOnAFreePortAsync(Func<int, ProcessStartInfo> startOn, Func<string, bool>? ready, TimeSpan timeout)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var port = FreePort();
                return await WaitUntilReadyAsync(startOn(port), port, ready, timeout);
            }
            catch (PortTakenException) when (attempt < 3)
            {
            }
        }
    }

    private sealed class PortTakenException(string message) : TimeoutException(message);

    private static async Task<BuiltWebApp> WaitUntilReadyAsync(ProcessStartInfo start, int port, Func<string, bool>? ready, TimeSpan timeout)
    {
        var app = new BuiltWebApp(Process.Start(start)!, port);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && !app.HasExited)
        {
            try
            {
                if ((ready ?? (_ => true))(await app.Client.GetStringAsync("/health")))
                {
                    app.StartupSeconds = clock.Elapsed.TotalSeconds;
                    return app;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }

        var exited = app.HasExited;
        var output = string.Join(Environment.NewLine, app.Output.TakeLast(40));
        await app.DisposeAsync();
        if (exited && output.Contains("address already in use", StringComparison.Ordinal))
        {
            throw new PortTakenException($"Port {port} was taken before the app bound it. Its last output:{Environment.NewLine}{output}");
        }

        throw new TimeoutException(exited
            ? $"The web app exited after {clock.Elapsed.TotalSeconds:0} s without becoming ready. Its last output:{Environment.NewLine}{output}"
            : $"The web app did not become ready within {timeout.TotalSeconds:0} s. Its last output:{Environment.NewLine}{output}");
    }

    /// <summary>A client of its own, signed in through the real form (cookies kept, redirects not followed).</summary>
    public async Task<HttpClient> SignedInClientAsync(string email, string password)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };
        await FormSignIn.SignInAsync(client, email, password);
        return client;
    }

    /// <summary>
    /// Stops the process as an operator's <c>kill</c> or a container runtime does: SIGTERM, then waits for the host's
    /// graceful shutdown to finish (hosted services stopped, buffers flushed). True when it exited within
    /// <paramref name="timeout"/>; otherwise it is killed and the answer is false.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return true;
        }

        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"SIGTERM to process {_process.Id} failed (errno {Marshal.GetLastWin32Error()}).");
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            return false;
        }
    }

    // DllImport rather than LibraryImport: the generated stub needs unsafe code in every project that links this file.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Kills the process at once (a crash, not a shutdown).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LynqDashboard.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("LynqDashboard.sln not found above " + AppContext.BaseDirectory);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LynqDashboard.Benchmarks;

/// <summary>The Release build of the web app as a child process on a free loopback port, stopped on dispose.</summary>
internal sealed class BuiltWebApp : IAsyncDisposable
{
    private readonly Process _process;

    private BuiltWebApp(Process process, int port)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Port = port;
    }

    public static string Dll => Path.Combine(Root(), "src", "LynqDashboard.Web", "bin", "Release", "net10.0", "LynqDashboard.Web.dll");

    public HttpClient Client { get; }

    public int Port { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts the app on <paramref name="dataDirectory"/> and waits until /health answers and satisfies <paramref name="ready"/>.</summary>
    public static async Task<BuiltWebApp> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment, Func<string, bool>? ready = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dataDirectory };
        foreach (var arg in new[] { Dll, "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["LYNQ_DATA_DIR"] = dataDirectory;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new BuiltWebApp(process, port);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
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

        await app.DisposeAsync();
        throw new TimeoutException("The web app did not become ready within 60 s.");
    }

    /// <summary>Seconds from process start to a ready /health.</summary>
    public double StartupSeconds { get; private set; }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LynqDashboard.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Run the benchmarks from inside the repository.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

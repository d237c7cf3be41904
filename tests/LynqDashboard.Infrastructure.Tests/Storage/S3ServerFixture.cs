using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;

namespace LynqDashboard.Infrastructure.Tests.Storage;

/// <summary>A real S3-compatible server (fauxqs, from tests/s3-server) on a free loopback port for the test class.</summary>
public sealed class S3ServerFixture : IAsyncLifetime
{
    private Process? _server;

    public string ServiceUrl { get; private set; } = string.Empty;

    /// <summary>A client like a scoring node's: path-style addressing against the local endpoint.</summary>
    public IAmazonS3 CreateClient() => new AmazonS3Client(new BasicAWSCredentials("test", "test"), new AmazonS3Config
    {
        ServiceURL = ServiceUrl,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
    });

    public async ValueTask InitializeAsync()
    {
        var folder = Path.Combine(Repository(), "tests", "s3-server");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "fauxqs")))
        {
            throw new InvalidOperationException($"fauxqs is not installed: run ./test.sh (or npm ci in {folder}).");
        }

        var start = new ProcessStartInfo("node", "start.mjs") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        _server = Process.Start(start)!;
        var line = await _server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        ServiceUrl = line?.Trim() ?? throw new InvalidOperationException("fauxqs did not print its URL.");
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 100 && !(await http.GetAsync($"{ServiceUrl}/health")).IsSuccessStatusCode; attempt++)
        {
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
    }

    private static string Repository()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LynqDashboard.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("LynqDashboard.sln not found above the test folder.");
    }
}

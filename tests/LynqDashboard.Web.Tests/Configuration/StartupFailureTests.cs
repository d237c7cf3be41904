using System.Diagnostics;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Web.Configuration;

namespace LynqDashboard.Web.Tests.Configuration;

/// <summary>The real process, started as an operator starts it, with a mistake in its configuration.</summary>
public sealed class StartupFailureTests
{
    [Theory]
    [InlineData("Lynq__Workers", "0", "error: Lynq:Workers must be between 1 and 16 (got 0).")]
    [InlineData("LYNQ_ROLE", "bogus", "error: Lynq:Role 'bogus' is not a role")]
    [InlineData("Lynq__Scoring__ApiKeys__0", "short", "error: Lynq:Scoring:ApiKeys holds a key shorter than 16 characters")]
    public async Task Start_ConfigurationMistake_PrintsOneLineNamingTheKeyAndExitsOne(string variable, string value, string expected)
    {
        var (code, stdout, stderr) = await RunToExitAsync(new Dictionary<string, string> { [variable] = value });

        Assert.Equal(StartupFailure.ExitCode, code);
        var line = Assert.Single(NonEmpty(stderr));
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_TwoMistakes_PrintsOneLineEach()
    {
        var (code, _, stderr) = await RunToExitAsync(new Dictionary<string, string> { ["Lynq__Workers"] = "0", ["Lynq__Scoring__PermitsPerMinute"] = "0" });

        Assert.Equal(StartupFailure.ExitCode, code);
        Assert.Equal(
            ["error: Lynq:Workers must be between 1 and 16 (got 0).", "error: Lynq:Scoring:PermitsPerMinute must be between 1 and 10,000,000 (got 0)."],
            NonEmpty(stderr));
    }

    [Fact]
    public async Task Start_PortInUse_SaysWhichAddressAndHowToChooseAnother()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var (code, stdout, stderr) = await RunToExitAsync([], $"http://127.0.0.1:{port}");

        Assert.Equal(StartupFailure.ExitCode, code);
        var line = Assert.Single(NonEmpty(stderr));
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.Contains("ASPNETCORE_URLS", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    private static List<string> NonEmpty(string text) => [.. text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0)];

    private static async Task<(int Code, string Stdout, string Stderr)> RunToExitAsync(Dictionary<string, string> environment, string? url = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "lynq-startup-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = data };
            foreach (var arg in new[] { BuiltWebApp.Dll, "--urls", url ?? $"http://127.0.0.1:{BuiltWebApp.FreePort()}" })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["LYNQ_DATA_DIR"] = data;
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }

            using var process = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}

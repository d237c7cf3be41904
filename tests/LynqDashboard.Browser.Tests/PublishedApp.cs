using System.Diagnostics;
using System.Reflection;
using LynqDashboard.Tests.Shared;

namespace LynqDashboard.Browser.Tests;

/// <summary>
/// The web app published the way it is deployed (dotnet publish), once per test run: a build output run outside
/// Development serves no static web assets, so a browser would get a page without scripts.
/// </summary>
internal static class PublishedApp
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _dll;

    public static async Task<string> DllAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_dll is not null)
            {
                return _dll;
            }

            var configuration = Assembly.GetExecutingAssembly().GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
            var output = Path.Combine(Path.GetTempPath(), "lynq-published", Guid.NewGuid().ToString("N"));
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "publish", Path.Combine(BuiltWebApp.Root(), "src", "LynqDashboard.Web", "LynqDashboard.Web.csproj"), "-c", configuration, "-o", output, "--no-build", "--nologo" })
            {
                start.ArgumentList.Add(arg);
            }

            using var publish = Process.Start(start)!;
            var log = await publish.StandardOutput.ReadToEndAsync() + await publish.StandardError.ReadToEndAsync();
            await publish.WaitForExitAsync();
            if (publish.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet publish failed ({publish.ExitCode}):{Environment.NewLine}{log}");
            }

            return _dll = Path.Combine(output, "LynqDashboard.Web.dll");
        }
        finally
        {
            Gate.Release();
        }
    }
}

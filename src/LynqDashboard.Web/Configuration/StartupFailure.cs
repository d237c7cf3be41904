using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Configuration;

/// <summary>
/// A process that cannot start says why in one line a person can act on (the key to fix, the port in use) and exits
/// with 1, instead of a 25-line stack trace: the configuration mistakes are validated with messages that already name
/// the key, so the trace adds nothing but noise.
/// </summary>
public static class StartupFailure
{
    public const int ExitCode = 1;

    /// <summary>
    /// Turns an exception that escaped start-up into the process's last words and exit code. Installed only for the real
    /// process (an in-process test host catches start-up exceptions itself and never reaches this).
    /// </summary>
    public static void ExitOnUnhandled(AppDomain domain, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(domain);
        domain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is Exception exception)
            {
                foreach (var line in Explain(exception))
                {
                    error.WriteLine(line);
                }

                error.Flush();
                Environment.Exit(ExitCode);
            }
        };
    }

    /// <summary>One "error: …" line per problem.</summary>
    public static IReadOnlyList<string> Explain(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return [.. Problems(exception).Distinct(StringComparer.Ordinal)];
    }

    private static IEnumerable<string> Problems(Exception exception) => exception switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Problems),
        System.Reflection.TargetInvocationException { InnerException: { } inner } => Problems(inner),
        OptionsValidationException invalid => invalid.Failures.Select(f => $"error: {f}"),
        { InnerException: OptionsValidationException invalid } => Problems(invalid),
        IOException bind when IsAddressInUse(bind) =>
            [$"error: {bind.Message} Another process is listening there: stop it, or choose another address with --urls or ASPNETCORE_URLS."],
        _ => [$"error: the dashboard could not start: {exception.Message}"],
    };

    private static bool IsAddressInUse(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }
}

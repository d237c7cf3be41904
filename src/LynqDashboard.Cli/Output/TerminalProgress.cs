using Spectre.Console;

namespace LynqDashboard.Cli.Output;

/// <summary>A progress bar on a terminal; on a pipe or in CI, one line per 10 % instead.</summary>
internal static class TerminalProgress
{
    public static async Task<T> RunAsync<T>(IAnsiConsole console, string title, Func<IProgress<(double Fraction, string Status)>, Task<T>> work)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            return await work(new LineReporter(console, title)).ConfigureAwait(false);
        }

        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(title, maxValue: 1.0);
                var result = await work(new BarReporter(task, title)).ConfigureAwait(false);
                task.Value = 1.0;
                return result;
            }).ConfigureAwait(false);
    }

    private sealed class BarReporter(ProgressTask task, string title) : IProgress<(double Fraction, string Status)>
    {
        public void Report((double Fraction, string Status) value)
        {
            task.Value = Math.Clamp(value.Fraction, 0, 1);
            task.Description = $"{title}: {Markup.Escape(value.Status)}";
        }
    }

    private sealed class LineReporter(IAnsiConsole console, string title) : IProgress<(double Fraction, string Status)>
    {
        private readonly Lock _gate = new();
        private int _lastDecile = -1;

        public void Report((double Fraction, string Status) value)
        {
            var decile = (int)(Math.Clamp(value.Fraction, 0, 1) * 10);
            lock (_gate)
            {
                if (decile <= _lastDecile)
                {
                    return;
                }

                _lastDecile = decile;
            }

            console.WriteLine($"{title}: {decile * 10,3}% {value.Status}");
        }
    }
}

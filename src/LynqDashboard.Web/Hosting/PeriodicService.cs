namespace LynqDashboard.Web.Hosting;

/// <summary>
/// A background loop that does its work at start and then every <see cref="Interval"/>: a round that fails (the
/// database restarting) is logged once, not at every tick, and tried again at the next; stopping, even a host that never
/// finished starting, ends the loop quietly instead of counting as a crash.
/// </summary>
public abstract class PeriodicService(TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>Time between the starts of two rounds.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What a round does, for the log line when it fails ("Reading job progress from the registry").</summary>
    protected abstract string Work { get; }

    /// <summary>One round.</summary>
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>Runs once after the last round (e.g. a final flush); its own failures are logged.</summary>
    protected virtual Task StoppedAsync() => Task.CompletedTask;

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        var failing = false;
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                failing = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                if (!failing)
                {
                    logger.LogWarning(e, "{Work} failed; trying again every {Seconds:0.#} s", Work, Interval.TotalSeconds);
                }

                failing = true;
            }
        }
        while (await NextTickAsync(timer, stoppingToken).ConfigureAwait(false));

        try
        {
            await StoppedAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "{Work}: the last round at shutdown failed", Work);
        }
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

using LynqDashboard.Core.Registry;

namespace LynqDashboard.Core.Runs;

/// <summary>
/// Takes a job's progress reports: publishes each one at once (pages throttle their own redraws) and saves
/// to the registry at most every <see cref="SaveInterval"/> or on a stage change, off the job's thread. A
/// save that finds CancelRequested set cancels the job, which is how a Cancel from another process arrives.
/// </summary>
internal sealed class ProgressRelay(
    RunKind kind,
    Guid id,
    string status,
    IRunUpdatePublisher publisher,
    Func<JobProgress, Task<bool>> saveAndCheckCancel,
    Action cancel,
    TimeProvider clock)
{
    public static readonly TimeSpan SaveInterval = TimeSpan.FromMilliseconds(500);

    private readonly Lock _gate = new();
    private JobProgress _latest = new();
    private DateTimeOffset _lastSave = DateTimeOffset.MinValue;
    private string _lastStage = string.Empty;
    private Task _saving = Task.CompletedTask;

    public void Report(string stage, double fraction, long done, long total)
    {
        var progress = new JobProgress { Stage = stage, Fraction = Math.Clamp(fraction, 0, 1), Done = done, Total = total, UpdatedAt = clock.GetUtcNow() };
        publisher.Publish(new RunUpdate(kind, id, status, progress));
        lock (_gate)
        {
            _latest = progress;
            var due = progress.UpdatedAt - _lastSave >= SaveInterval || stage != _lastStage;
            if (!due || !_saving.IsCompleted)
            {
                return;
            }

            _lastSave = progress.UpdatedAt.Value;
            _lastStage = stage;
            _saving = SaveAsync(progress.Copy());
        }
    }

    /// <summary>Waits for the last save and writes the final state.</summary>
    public async Task FlushAsync()
    {
        Task pending;
        JobProgress latest;
        lock (_gate)
        {
            pending = _saving;
            latest = _latest.Copy();
        }

        await pending.ConfigureAwait(false);
        await SaveAsync(latest).ConfigureAwait(false);
    }

    private async Task SaveAsync(JobProgress progress)
    {
        try
        {
            if (await saveAndCheckCancel(progress).ConfigureAwait(false))
            {
                cancel();
            }
        }
#pragma warning disable CA1031 // a failed progress save must never fail the job; the next one retries
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}

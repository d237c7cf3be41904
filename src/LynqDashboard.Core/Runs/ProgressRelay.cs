using LynqDashboard.Core.Registry;

namespace LynqDashboard.Core.Runs;

/// <summary>
/// Takes a job's progress reports: publishes each one at once (pages throttle their own redraws) and saves
/// to the registry at most every <see cref="SaveInterval"/> or on a stage change, off the job's thread. A
/// save that finds CancelRequested set cancels the job, which is how a Cancel from another process arrives.
/// </summary>
public sealed class ProgressRelay
{
    public static readonly TimeSpan SaveInterval = TimeSpan.FromMilliseconds(500);

    private readonly Lock _gate = new();
    private JobProgress _latest = new();
    private DateTimeOffset _lastSave = DateTimeOffset.MinValue;
    private string _lastStage = string.Empty;
    private readonly Func<JobProgress, RunUpdate> _updateOf;
    private readonly IRunUpdatePublisher _publisher;
    private readonly Func<JobProgress, Task<bool>> _saveAndCheckCancel;
    private readonly Action _cancel;
    private readonly TimeProvider _clock;
    private Task _saving = Task.CompletedTask;

    /// <param name="updateOf">The update that carries one report to open pages.</param>
    /// <param name="publisher">Where updates go.</param>
    /// <param name="saveAndCheckCancel">Saves a report; true when the stored record asks to cancel.</param>
    /// <param name="cancel">Cancels the job.</param>
    /// <param name="clock">The app's clock.</param>
    internal ProgressRelay(Func<JobProgress, RunUpdate> updateOf, IRunUpdatePublisher publisher, Func<JobProgress, Task<bool>> saveAndCheckCancel, Action cancel, TimeProvider clock)
    {
        (_updateOf, _publisher, _saveAndCheckCancel, _cancel, _clock) = (updateOf, publisher, saveAndCheckCancel, cancel, clock);
    }

    public void Report(string stage, double fraction, long done, long total)
    {
        var progress = new JobProgress { Stage = stage, Fraction = Math.Clamp(fraction, 0, 1), Done = done, Total = total, UpdatedAt = _clock.GetUtcNow() };
        _publisher.Publish(_updateOf(progress));
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
            if (await _saveAndCheckCancel(progress).ConfigureAwait(false))
            {
                _cancel();
            }
        }
#pragma warning disable CA1031 // a failed progress save must never fail the job; the next one retries
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}

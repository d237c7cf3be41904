namespace LynqDashboard.Core.Runs;

/// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
internal sealed class CallbackProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

using System.Globalization;
using LynqDashboard.Core.Registry;

namespace LynqDashboard.Web.Model;

/// <summary>What a progress bar shows: stage, percent, counted units, elapsed time and an ETA.</summary>
public sealed record RunProgressView(string Stage, double Percent, string? Units, TimeSpan? Elapsed, TimeSpan? Remaining)
{
    /// <param name="progress">The stored or published progress.</param>
    /// <param name="startedAt">When the run started; null while queued.</param>
    /// <param name="now">The current time.</param>
    /// <param name="unitName">"rows" or "trees".</param>
    public static RunProgressView From(JobProgress progress, DateTimeOffset? startedAt, DateTimeOffset now, string unitName)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var elapsed = startedAt is { } start ? now - start : (TimeSpan?)null;
        TimeSpan? remaining = elapsed is { } e && progress.Fraction is > 0.02 and < 1
            ? TimeSpan.FromSeconds(e.TotalSeconds * (1 - progress.Fraction) / progress.Fraction)
            : null;
        var units = progress.Total > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{progress.Done:N0} / {progress.Total:N0} {unitName}")
            : null;
        return new RunProgressView(progress.Stage, Math.Round(progress.Fraction * 100, 1), units, elapsed, remaining);
    }

    public static string Format(TimeSpan? span) => span switch
    {
        null => "–",
        { TotalHours: >= 1 } s => $"{(int)s.TotalHours} h {s.Minutes} min",
        { TotalMinutes: >= 1 } s => $"{(int)s.TotalMinutes} min {s.Seconds} s",
        { } s => string.Create(CultureInfo.InvariantCulture, $"{s.TotalSeconds:F1} s"),
    };
}

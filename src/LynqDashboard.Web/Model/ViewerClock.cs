using System.Globalization;

namespace LynqDashboard.Web.Model;

/// <summary>
/// The time zone of the person's browser (one per circuit). Until the browser has said which it is, times show in
/// UTC and say so; components showing times re-render when it arrives.
/// </summary>
public sealed class ViewerClock
{
    /// <summary>Date and time, year first: "2026-12-01 14:05" reads the same to a European and an American.</summary>
    public const string DateTime = "yyyy-MM-dd HH:mm";

    /// <summary>A date alone: "2026-12-01".</summary>
    public const string Date = "yyyy-MM-dd";

    /// <summary>A time of day alone, 24-hour: "14:05".</summary>
    public const string Time = "HH:mm";

    private TimeZoneInfo _zone = TimeZoneInfo.Utc;

    /// <summary>Raised once the browser's zone is known.</summary>
    public event Action? Changed;

    public bool IsKnown { get; private set; }

    /// <summary>The zone's IANA name, e.g. Europe/Berlin.</summary>
    public string ZoneName => _zone.Id;

    /// <summary>Takes the browser's IANA zone name; an unknown name leaves UTC.</summary>
    public void Set(string? ianaName)
    {
        if (ianaName is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(ianaName, out var zone))
        {
            (_zone, IsKnown) = (zone, true);
            Changed?.Invoke();
        }
    }

    /// <summary>The instant in the viewer's zone, e.g. "2026-11-24 18:31"; "–" for none; marked UTC while the zone is unknown.</summary>
    /// <param name="at">The instant.</param>
    /// <param name="format">One of <see cref="DateTime"/> (the default), <see cref="Date"/> or <see cref="Time"/>.</param>
    public string Format(DateTimeOffset? at, string format = DateTime) => at is { } instant
        ? TimeZoneInfo.ConvertTime(instant, _zone).ToString(format, CultureInfo.InvariantCulture) + (IsKnown ? string.Empty : " UTC")
        : "–";
}

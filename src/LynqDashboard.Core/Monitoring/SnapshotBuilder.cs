using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Monitoring;

/// <summary>
/// One pass over a version's decisions in time order (<see cref="Add"/>), then <see cref="Build"/>: PSI of the PD and CSI
/// of each feature against the frozen bins, the mix per UTC day, traffic per UTC hour and the back-test per vintage.
/// Memory is constant in the number of decisions except for those with an outcome, whose PD and outcome are kept for the
/// vintage's AUC and KS.
/// </summary>
public sealed class SnapshotBuilder
{
    /// <summary>The feature name of the PD's PSI, in alerts and gauges.</summary>
    public const string ScoreFeature = "score";

    private readonly FrozenBinCounter? _score;
    private readonly (int Index, string Name, FrozenBinCounter Counter)[] _features;
    private readonly bool _monthly;
    private readonly SortedDictionary<DateTimeOffset, DayTotals> _days = [];
    private readonly SortedDictionary<DateTimeOffset, long[]> _hours = [];
    private readonly SortedDictionary<DateTimeOffset, VintageRows> _vintages = [];
    private long _hourStartTicks = long.MinValue / 2;
    private long[]? _hourCount;
    private DayTotals? _day;
    private VintageRows? _vintage;
    private long _withOutcome;

    /// <param name="baseline">The version's frozen bins; null (the fallback, or a version without stored rows) leaves PSI and CSI out.</param>
    /// <param name="vintage">"week" (vintages start Monday 00:00 UTC) or "month" (the 1st).</param>
    public SnapshotBuilder(MonitoringBaseline? baseline, string vintage = "week")
    {
        _monthly = vintage switch
        {
            "week" => false,
            "month" => true,
            _ => throw new ArgumentException($"A vintage is \"week\" or \"month\", not \"{vintage}\".", nameof(vintage)),
        };
        _score = baseline is null ? null : new FrozenBinCounter(baseline.Score);
        _features = baseline is null ? [] : [.. LoanFeatures.All
            .Where(f => baseline.Features.ContainsKey(f.Name))
            .Select(f => (f.Index, f.Name, new FrozenBinCounter(baseline.Features[f.Name])))];
    }

    public string Period => _monthly ? "month" : "week";

    /// <summary>Decisions counted so far.</summary>
    public long Decisions { get; private set; }

    public void Add(in MonitoredDecision decision)
    {
        Decisions++;
        _score?.Add(decision.DefaultProbability);
        foreach (var (index, _, counter) in _features)
        {
            if (index < decision.Features.Length)
            {
                counter.Add(decision.Features[index]);
            }
        }

        // Decisions come in time order, so the current hour, day and vintage are almost always the last ones seen:
        // the dictionaries are only asked when one changes.
        var ticks = decision.At.UtcTicks;
        if (ticks < _hourStartTicks || ticks >= _hourStartTicks + TimeSpan.TicksPerHour)
        {
            SwitchHour(ticks);
        }

        _hourCount![0]++;
        _day!.Add(decision.DefaultProbability, decision.Action);
        var vintage = _vintage!;
        vintage.Decisions++;
        if (decision.Defaulted is { } defaulted)
        {
            vintage.Add(decision.DefaultProbability, defaulted);
            _withOutcome++;
        }
    }

    /// <summary>The snapshot of everything added, with the alerts <paramref name="thresholds"/> raise.</summary>
    public MonitoringSnapshot Build(int? versionNumber, string modelVersion, DateTimeOffset at, DateTimeOffset from, DateTimeOffset to, MonitoringThresholds thresholds, double computeSeconds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var csi = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (_, name, counter) in _features)
        {
            if (counter.Index() is { } index)
            {
                csi[name] = index;
            }
        }

        var days = _days.Select(d => new DailyMix(d.Key, d.Value.Count, d.Value.MeanPd, d.Value.Actions)).ToList();
        var hours = _hours.Select(h => new HourlyCount(h.Key, h.Value[0])).ToList();
        var vintages = _vintages.Where(v => v.Value.WithOutcome > 0).Select(v => v.Value.BackTest(v.Key, Period)).ToList();
        var scorePsi = _score?.Index();
        var alerts = MonitoringAlerts.Raise(scorePsi, csi, vintages, thresholds);
        return new MonitoringSnapshot(Guid.NewGuid(), versionNumber, modelVersion, at, from, to, Decisions, _withOutcome, scorePsi, csi, days, hours, vintages, alerts, thresholds, computeSeconds);
    }

    private void SwitchHour(long ticks)
    {
        _hourStartTicks = ticks - (ticks % TimeSpan.TicksPerHour);
        var hour = new DateTimeOffset(_hourStartTicks, TimeSpan.Zero);
        if (!_hours.TryGetValue(hour, out _hourCount))
        {
            _hours[hour] = _hourCount = [0];
        }

        var day = hour.AddHours(-hour.Hour);
        if (!_days.TryGetValue(day, out _day))
        {
            _days[day] = _day = new DayTotals();
        }

        var start = VintageOf(day);
        if (!_vintages.TryGetValue(start, out _vintage))
        {
            _vintages[start] = _vintage = new VintageRows();
        }
    }

    private DateTimeOffset VintageOf(DateTimeOffset day) => _monthly
        ? new DateTimeOffset(day.Year, day.Month, 1, 0, 0, 0, TimeSpan.Zero)
        : day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private sealed class DayTotals
    {
        private double _pdSum;

        public long Count { get; private set; }

        public Dictionary<string, long> Actions { get; } = new(StringComparer.Ordinal);

        public double MeanPd => Count == 0 ? 0 : _pdSum / Count;

        public void Add(double pd, string action)
        {
            Count++;
            _pdSum += pd;
            Actions[action] = Actions.GetValueOrDefault(action) + 1;
        }
    }

    private sealed class VintageRows
    {
        private readonly List<float> _pds = [];
        private readonly List<bool> _defaulted = [];
        private double _pdSum;
        private double _varianceSum;
        private long _defaults;

        public long Decisions { get; set; }

        public long WithOutcome => _pds.Count;

        public void Add(double pd, bool defaulted)
        {
            _pds.Add((float)pd);
            _defaulted.Add(defaulted);
            _pdSum += pd;
            _varianceSum += pd * (1 - pd);
            _defaults += defaulted ? 1 : 0;
        }

        public VintageBackTest BackTest(DateTimeOffset vintage, string period)
        {
            var n = _pds.Count;
            var bothClasses = _defaults > 0 && _defaults < n;
            var scores = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pds);
            var labels = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_defaulted);
            return new VintageBackTest(vintage, period, Decisions, n, _defaults, _pdSum / n, (double)_defaults / n, Math.Sqrt(_varianceSum) / n,
                bothClasses ? BinaryMetrics.RocAuc(scores, labels) : null,
                bothClasses ? BinaryMetrics.KolmogorovSmirnov(scores, labels) : null);
        }
    }
}

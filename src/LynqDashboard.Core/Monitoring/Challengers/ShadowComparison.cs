using System.Runtime.InteropServices;
using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Monitoring.Challengers;

/// <summary>
/// Champion against one shadow version on the same applications, one row at a time (<see cref="Add"/>), then
/// <see cref="Build"/>. The flips and the action matrix are counted as rows arrive; the two PDs and the outcome are
/// kept as plain arrays (17 bytes a row, no object per row), because the correlations, the PSI's bins and DeLong's test
/// need them all: a million rows take about 17 MB.
/// </summary>
public sealed class ShadowComparison
{
    /// <summary>How many (champion, shadow) pairs the scatter sample holds at most.</summary>
    public const int SampleSize = 400;

    /// <summary>What the matrix calls a row whose shadow gave no action.</summary>
    public const string NoAction = "NONE";

    private readonly double[] _cutoffs;
    private readonly long[] _championAbove;
    private readonly long[] _shadowAbove;
    private readonly long[] _stricter;
    private readonly long[] _looser;
    private readonly Dictionary<(string Champion, string Shadow), long> _matrix = [];
    private readonly List<double> _champion = [];
    private readonly List<double> _shadow = [];
    private readonly List<sbyte> _outcome = [];
    private long _flips;

    /// <param name="championVersion">The version that answered; null for the fallback.</param>
    /// <param name="shadowVersion">The shadow version.</param>
    /// <param name="cutoffs">The PDs at which the policy's band changes (ascending), e.g. 2, 5, 10 and 20 %.</param>
    public ShadowComparison(int? championVersion, int shadowVersion, IReadOnlyList<double> cutoffs)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        ChampionVersion = championVersion;
        ShadowVersion = shadowVersion;
        _cutoffs = [.. cutoffs];
        _championAbove = new long[_cutoffs.Length];
        _shadowAbove = new long[_cutoffs.Length];
        _stricter = new long[_cutoffs.Length];
        _looser = new long[_cutoffs.Length];
    }

    public int? ChampionVersion { get; }

    public int ShadowVersion { get; }

    public long Count => _champion.Count;

    /// <param name="championPd">The answer's PD.</param>
    /// <param name="shadowPd">The shadow's PD on the same application.</param>
    /// <param name="championAction">The answer's action.</param>
    /// <param name="shadowAction">The shadow's action (null: <see cref="NoAction"/>).</param>
    /// <param name="defaulted">The outcome, when known.</param>
    public void Add(double championPd, double shadowPd, string championAction, string? shadowAction, bool? defaulted)
    {
        for (var c = 0; c < _cutoffs.Length; c++)
        {
            var (championAbove, shadowAbove) = (championPd >= _cutoffs[c], shadowPd >= _cutoffs[c]);
            _championAbove[c] += championAbove ? 1 : 0;
            _shadowAbove[c] += shadowAbove ? 1 : 0;
            _stricter[c] += !championAbove && shadowAbove ? 1 : 0;
            _looser[c] += championAbove && !shadowAbove ? 1 : 0;
        }

        var cell = (championAction, shadowAction ?? NoAction);
        CollectionsMarshal.GetValueRefOrAddDefault(_matrix, cell, out _)++;
        _flips += string.Equals(cell.championAction, cell.Item2, StringComparison.Ordinal) ? 0 : 1;
        _champion.Add(championPd);
        _shadow.Add(shadowPd);
        _outcome.Add(defaulted switch { true => 1, false => 0, null => -1 });
    }

    /// <summary>Everything added so far; null before the first row.</summary>
    public ShadowComparisonResult? Build()
    {
        if (_champion.Count == 0)
        {
            return null;
        }

        var champion = CollectionsMarshal.AsSpan(_champion);
        var shadow = CollectionsMarshal.AsSpan(_shadow);
        var championFloats = Floats(champion);
        var shadowFloats = Floats(shadow);
        var spearman = champion.Length < 2 ? null : Correlation.Pearson(DeLong.Midranks(championFloats), DeLong.Midranks(shadowFloats));
        var (psi, bins) = Binned(champion, shadow);
        var cutoffs = _cutoffs.Select((c, i) => new CutoffFlips(c, _championAbove[i], _shadowAbove[i], _stricter[i], _looser[i])).ToList();
        var actions = Enum.GetNames<RecommendedAction>().Concat(_matrix.Keys.SelectMany(k => new[] { k.Champion, k.Shadow })).Distinct(StringComparer.Ordinal).ToList();
        var matrix = _matrix.OrderBy(m => actions.IndexOf(m.Key.Champion)).ThenBy(m => actions.IndexOf(m.Key.Shadow))
            .Select(m => new ActionCell(m.Key.Champion, m.Key.Shadow, m.Value)).ToList();
        return new ShadowComparisonResult(ChampionVersion, ShadowVersion, champion.Length, Mean(champion), Mean(shadow), Correlation.Pearson(champion, shadow), spearman,
            psi, bins, Sample(champion, shadow), cutoffs, actions, matrix, _flips, OutcomeComparer.Compare(champion, shadow, CollectionsMarshal.AsSpan(_outcome)));
    }

    // The PSI of the shadow's PDs in the champion's deciles, and per decile each model's mean on the same rows.
    private static (double Psi, IReadOnlyList<PdBin> Bins) Binned(ReadOnlySpan<double> champion, ReadOnlySpan<double> shadow)
    {
        var edges = EqualCountBins.Edges(champion);
        var count = new long[edges.Length + 1];
        var shadowCount = new long[edges.Length + 1];
        var championSum = new double[edges.Length + 1];
        var shadowSum = new double[edges.Length + 1];
        for (var i = 0; i < champion.Length; i++)
        {
            var bin = EqualCountBins.BinOf(edges, champion[i]);
            count[bin]++;
            championSum[bin] += champion[i];
            shadowSum[bin] += shadow[i];
            shadowCount[EqualCountBins.BinOf(edges, shadow[i])]++;
        }

        var expected = EqualCountBins.Shares(count);
        var actual = EqualCountBins.Shares(shadowCount);
        var bins = Enumerable.Range(0, count.Length).Where(b => count[b] > 0)
            .Select(b => new PdBin(b, count[b], championSum[b] / count[b], shadowSum[b] / count[b], actual[b])).ToList();
        return (EqualCountBins.StabilityIndex(expected, actual), bins);
    }

    private static List<PdPair> Sample(ReadOnlySpan<double> champion, ReadOnlySpan<double> shadow)
    {
        var step = Math.Max(1.0, (double)champion.Length / SampleSize);
        var sample = new List<PdPair>(Math.Min(SampleSize, champion.Length));
        for (var k = 0; k < SampleSize && (int)(k * step) < champion.Length; k++)
        {
            var i = (int)(k * step);
            sample.Add(new PdPair(champion[i], shadow[i]));
        }

        return sample;
    }

    private static float[] Floats(ReadOnlySpan<double> values)
    {
        var floats = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            floats[i] = (float)values[i];
        }

        return floats;
    }

    internal static double Mean(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        return values.Length == 0 ? 0 : sum / values.Length;
    }
}

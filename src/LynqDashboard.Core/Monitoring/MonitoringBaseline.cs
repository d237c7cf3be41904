namespace LynqDashboard.Core.Monitoring;

/// <summary>
/// A version's frozen bins: the deciles of its held-out test split (the training population, scored out of sample as a
/// live applicant is) for the PD and for each feature, with each bin's share. Live decisions are counted into these bins,
/// so a snapshot never re-derives them from live data.
/// </summary>
/// <param name="VersionNumber">The registry version.</param>
/// <param name="ComputedAt">When the bins were made (at training, or once later for an older version).</param>
/// <param name="Source">Where the rows came from, in words ("test split, 15,000 rows").</param>
/// <param name="Rows">How many rows the bins were cut from.</param>
/// <param name="Score">The PD's bins.</param>
/// <param name="Features">Each feature's bins, by feature name.</param>
public sealed record MonitoringBaseline(
    int VersionNumber,
    DateTimeOffset ComputedAt,
    string Source,
    int Rows,
    FrozenBins Score,
    IReadOnlyDictionary<string, FrozenBins> Features);

/// <summary>
/// Equal-count bins of a reference distribution: <see cref="Edges"/> are the upper edges of every bin but the last (a
/// value at or below Edges[b], and above Edges[b − 1], falls in bin b); <see cref="Shares"/> has one more entry than
/// Edges and sums to 1. Tied values share a bin, so a discrete feature may have fewer than ten.
/// </summary>
public sealed record FrozenBins(IReadOnlyList<double> Edges, IReadOnlyList<double> Shares);

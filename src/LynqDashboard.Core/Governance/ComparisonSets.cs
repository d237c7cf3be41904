using System.Globalization;
using System.Runtime.InteropServices;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Governance;

/// <summary>A version under review: its record, its stored test rows and its model (loaded only when something must be scored).</summary>
public sealed record ReviewedVersion(ModelVersionRecord Record, TestPredictions Rows, Lazy<ScoringModel> Model)
{
    public string Label => Record.Label;

    /// <summary>Its PD for each of <paramref name="rows"/>' stored feature rows.</summary>
    public float[] Score(TestPredictions rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var model = Model.Value;
        var pd = new float[rows.Count];
        for (var i = 0; i < pd.Length; i++)
        {
            pd[i] = model.PredictPd(rows.Row(i));
        }

        return pd;
    }
}

/// <summary>
/// Chooses the rows the candidate and production are compared on, so that neither model has seen them in training:
/// <list type="bullet">
/// <item>different data: the candidate's test split (production scores it) and production's test split (the candidate scores it);</item>
/// <item>the same data and split seed: one test split, which is both versions' (a second set would repeat it);</item>
/// <item>the same data, other seeds: each test split trained the other model in part, so only the rows in both test splits.</item>
/// </list>
/// A test split without stored features (versions trained before they were kept) cannot be scored by the other model and is left out.
/// </summary>
public static class ComparisonSets
{
    /// <summary>Fewest rows of each class a set needs to be worth reporting.</summary>
    public const int MinRowsPerClass = 20;

    /// <summary>Why <see cref="Build"/> found no set, in words a trainer can act on.</summary>
    public static string WhyNone(ReviewedVersion candidate, ReviewedVersion production)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(production);
        var (c, p) = (candidate.Record, production.Record);
        if (candidate.Rows.Features is null && production.Rows.Features is null)
        {
            return "neither test split stores its features (trained before they were kept). Retrain the candidate.";
        }

        return SameData(c, p) && c.Parameters.Seed != p.Parameters.Seed
            ? string.Create(CultureInfo.InvariantCulture,
                $"both were trained on the same dataset with different split seeds ({c.Parameters.Seed} and {p.Parameters.Seed}), so only rows in both test splits are fair to both, and fewer than {MinRowsPerClass} defaults or non-defaults are. Train the candidate with split seed {p.Parameters.Seed} (the whole test split is then shared) or on a larger dataset.")
            : $"no test split that both can be scored on holds {MinRowsPerClass} defaults and {MinRowsPerClass} non-defaults. Train on a larger dataset.";
    }

    public static IReadOnlyList<ComparisonSet> Build(ReviewedVersion candidate, ReviewedVersion production, RiskPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(production);
        ArgumentNullException.ThrowIfNull(policy);
        var (c, p) = (candidate.Record, production.Record);
        var sets = new List<ComparisonSet>();
        if (!SameData(c, p))
        {
            if (candidate.Rows.Features is not null)
            {
                Add($"{candidate.Label}'s test split", candidate.Rows, () => candidate.Rows.Probabilities, () => production.Score(candidate.Rows));
            }

            if (production.Rows.Features is not null)
            {
                Add($"{production.Label}'s test split", production.Rows, () => candidate.Score(production.Rows), () => production.Rows.Probabilities);
            }
        }
        else if (c.Parameters.Seed == p.Parameters.Seed)
        {
            if (candidate.Rows.Features is not null)
            {
                Add($"{candidate.Label}'s test split, which is also {production.Label}'s (same dataset and split seed)",
                    candidate.Rows, () => candidate.Rows.Probabilities, () => production.Score(candidate.Rows));
            }
        }
        else if (candidate.Rows.Features is not null && production.Rows.Features is not null)
        {
            var (shared, candidateRows, productionRows) = Shared(candidate.Rows, production.Rows);
            Add(
                $"rows in both {candidate.Label}'s and {production.Label}'s test splits (same dataset, split seeds {c.Parameters.Seed.ToString(CultureInfo.InvariantCulture)} and {p.Parameters.Seed.ToString(CultureInfo.InvariantCulture)}: the rest of each split trained the other model)",
                shared,
                () => [.. candidateRows.Select(i => candidate.Rows.Probabilities[i])],
                () => [.. productionRows.Select(i => production.Rows.Probabilities[i])]);
        }

        return sets;

        // A set with too few of either class says nothing about ranking (and the metrics need both).
        void Add(string name, TestPredictions rows, Func<float[]> candidatePd, Func<float[]> productionPd)
        {
            var defaults = rows.Labels.Count(l => l);
            if (defaults >= MinRowsPerClass && rows.Count - defaults >= MinRowsPerClass)
            {
                sets.Add(SameRowsComparison.Measure(name, (c.Number, candidatePd()), (p.Number, productionPd()), rows.Labels, rows.Features, policy));
            }
        }
    }

    /// <summary>Same data when the registry says the same dataset, or the same file by its SHA-256 (a dataset generated twice with one seed).</summary>
    public static bool SameData(ModelVersionRecord candidate, ModelVersionRecord production)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(production);
        return candidate.DatasetId == production.DatasetId
            || (candidate.DatasetSha256 is { Length: > 0 } sha && sha == production.DatasetSha256);
    }

    // Rows are matched on their 12 feature values; a row whose values occur twice with different outcomes is left out.
    private static (TestPredictions Rows, List<int> Candidate, List<int> Production) Shared(TestPredictions candidate, TestPredictions production)
    {
        var index = new Dictionary<RowKey, int>();
        for (var i = 0; i < production.Count; i++)
        {
            index.TryAdd(new RowKey(production.Features!, i), i);
        }

        var (fromCandidate, fromProduction) = (new List<int>(), new List<int>());
        for (var i = 0; i < candidate.Count; i++)
        {
            if (index.TryGetValue(new RowKey(candidate.Features!, i), out var j) && production.Labels[j] == candidate.Labels[i])
            {
                fromCandidate.Add(i);
                fromProduction.Add(j);
            }
        }

        var features = new float[fromCandidate.Count * LoanFeatures.Count];
        for (var k = 0; k < fromCandidate.Count; k++)
        {
            candidate.Row(fromCandidate[k]).CopyTo(features.AsSpan(k * LoanFeatures.Count));
        }

        var rows = new TestPredictions([.. fromCandidate.Select(i => candidate.Probabilities[i])], [.. fromCandidate.Select(i => candidate.Labels[i])], features);
        return (rows, fromCandidate, fromProduction);
    }

    private readonly struct RowKey(float[] features, int row) : IEquatable<RowKey>
    {
        private ReadOnlySpan<float> Values => features.AsSpan(row * LoanFeatures.Count, LoanFeatures.Count);

        public bool Equals(RowKey other) => Values.SequenceEqual(other.Values);

        public override bool Equals(object? obj) => obj is RowKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.AddBytes(MemoryMarshal.AsBytes(Values));
            return hash.ToHashCode();
        }
    }
}

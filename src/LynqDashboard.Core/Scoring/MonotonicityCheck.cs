using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Scoring;

/// <summary>A model's PD for one feature vector (12 values, model order).</summary>
public delegate float PdFunction(ReadOnlySpan<float> features);

/// <summary>How one feature moved the PD when swept over its training range.</summary>
/// <param name="Feature">The feature's name.</param>
/// <param name="Direction">The declared direction.</param>
/// <param name="From">The low end of the sweep (the training data's 1st percentile).</param>
/// <param name="To">The high end (99th percentile).</param>
/// <param name="MeanPdAtFrom">Average PD over the applicants with the feature at <paramref name="From"/>.</param>
/// <param name="MeanPdAtTo">Average PD with the feature at <paramref name="To"/>.</param>
/// <param name="ShareAgainst">Share of applicants whose PD at the high end is on the wrong side of their PD at the low end (by more than the tolerance).</param>
/// <param name="Applicants">How many applicants were swept.</param>
public sealed record FeatureMonotonicity(
    string Feature, FeatureDirection Direction, double From, double To, double MeanPdAtFrom, double MeanPdAtTo, double ShareAgainst, int Applicants)
{
    /// <summary>True when the average PD moves the declared way (individual conditional expectation, averaged).</summary>
    public bool AverageFollowsDirection => Direction == FeatureDirection.RaisesPd ? MeanPdAtTo > MeanPdAtFrom : MeanPdAtTo < MeanPdAtFrom;
}

/// <summary>
/// Sweeps each feature with a declared direction over its training range for a sample of applicants (individual
/// conditional expectation) and reports which way the model's PD moved. Supplied features change alone (collateral_ratio
/// follows as it does in scoring); collateral_ratio itself is swept through the collateral value.
/// </summary>
public static class MonotonicityCheck
{
    /// <summary>A PD change smaller than this (0.1 percentage point) counts as no change.</summary>
    public const double Tolerance = 0.001;

    /// <param name="pd">The model.</param>
    /// <param name="training">The data the model was trained on: the sweep ranges come from it.</param>
    /// <param name="applicants">The applicants to sweep (e.g. the test split's first few hundred rows).</param>
    public static IReadOnlyList<FeatureMonotonicity> Run(PdFunction pd, LoanDataset training, IReadOnlyList<LoanApplication> applicants)
    {
        ArgumentNullException.ThrowIfNull(pd);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(applicants);
        var results = new List<FeatureMonotonicity>();
        Span<float> features = stackalloc float[LoanFeatures.Count];
        foreach (var feature in LoanFeatures.All.Where(f => f.Direction != FeatureDirection.None))
        {
            var (from, to) = Range(training, feature);
            double sumFrom = 0, sumTo = 0;
            var against = 0;
            foreach (var applicant in applicants)
            {
                // Trees answer in steps, so a sweep wiggles; what counts is where the applicant ends up against where they began.
                var first = PdAt(pd, applicant, feature, from, features);
                var last = PdAt(pd, applicant, feature, to, features);
                var move = feature.Direction == FeatureDirection.RaisesPd ? last - first : first - last;
                sumFrom += first;
                sumTo += last;
                against += move < -Tolerance ? 1 : 0;
            }

            var n = Math.Max(1, applicants.Count);
            results.Add(new FeatureMonotonicity(feature.Name, feature.Direction, from, to, sumFrom / n, sumTo / n, (double)against / n, applicants.Count));
        }

        return results;
    }

    /// <summary>The 1st and 99th percentiles of a feature in <paramref name="data"/>.</summary>
    public static (double From, double To) Range(LoanDataset data, FeatureSpec feature)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(feature);
        var values = new float[data.Count];
        for (var i = 0; i < data.Count; i++)
        {
            values[i] = data.Row(i)[feature.Index];
        }

        Array.Sort(values);
        double At(double share) => values[(int)Math.Round(share * (values.Length - 1))];
        return (At(0.01), At(0.99));
    }

    /// <summary>How many applicants a version's check sweeps: enough for a share to ±2 points, small enough to add well under a second to training.</summary>
    public const int DefaultApplicants = 500;

    /// <summary>
    /// Up to <paramref name="count"/> applicants spread evenly over <paramref name="data"/>'s rows (every k-th row), so the same
    /// test split always gives the same sample; a test split is already in seeded random order.
    /// </summary>
    public static IReadOnlyList<LoanApplication> SampleOf(LoanDataset data, int count = DefaultApplicants)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var take = Math.Min(count, data.Count);
        return [.. Enumerable.Range(0, take).Select(i => ApplicationOf(data, (int)((long)i * data.Count / take)))];
    }

    /// <summary>The applicant behind one row of a dataset (the 11 supplied features; the wallet is its row number).</summary>
    public static LoanApplication ApplicationOf(LoanDataset data, int row)
    {
        ArgumentNullException.ThrowIfNull(data);
        var values = data.Row(row);
        var copy = values.ToArray();
        return LoanApplication.From($"row {row}", spec => copy[spec.Index]);
    }

    private static float PdAt(PdFunction pd, LoanApplication applicant, FeatureSpec feature, double value, Span<float> features)
    {
        var changed = feature.IsComputed
            ? applicant.With(LoanFeatures.CollateralValueUsd, value * applicant.LoanAmount)
            : applicant.With(feature, value);
        changed.CopyFeaturesTo(features);
        return pd(features);
    }
}

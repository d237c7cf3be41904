using System.Globalization;

namespace LynqDashboard.Core.Features;

/// <summary>Which way a higher value of a feature should move the probability of default, as a lender expects.</summary>
public enum FeatureDirection
{
    /// <summary>No direction is declared (the feature may act either way).</summary>
    None,

    /// <summary>A higher value means a higher PD (e.g. past defaults).</summary>
    RaisesPd,

    /// <summary>A higher value means a lower PD (e.g. reputation).</summary>
    LowersPd,
}

/// <summary>Whether, and which way, an applicant can change a feature to improve their answer.</summary>
public enum FeatureLever
{
    /// <summary>Not actionable: history, reputation and the wallet change only with time.</summary>
    None,

    /// <summary>The applicant can ask for less of it (a smaller loan, a shorter term).</summary>
    Lower,

    /// <summary>The applicant can offer more of it (more collateral).</summary>
    Raise,
}

/// <summary>
/// Everything known about one model feature, in one place: the JSON and CSV readers, the validation, the OpenAPI
/// schema, the scoring form and the documentation all read it.
/// </summary>
/// <param name="Name">The snake_case name used in CSV headers, JSON and charts.</param>
/// <param name="Index">Position in the model's feature vector.</param>
/// <param name="Label">What a person reads, e.g. "Total volume (USD)".</param>
/// <param name="Description">One sentence on what the value is.</param>
/// <param name="Unit">Short unit for people: "days", "USD", "months" or empty.</param>
/// <param name="IsInteger">True when only whole numbers are valid (counts, months, scores).</param>
/// <param name="Minimum">Smallest valid value (inclusive).</param>
/// <param name="Maximum">
/// Largest valid value (inclusive). Every feature has a finite one: beyond it the arithmetic downstream (a ratio, a
/// float) would overflow, or the value could not be real.
/// </param>
/// <param name="MaximumIsDomainBound">
/// True when <paramref name="Maximum"/> is the domain's own bound (36 months, reputation 100); false when it only
/// guards against absurd input (10^12 USD), so a search for a plausible value should not walk up to it.
/// </param>
/// <param name="Default">The value used when a caller leaves the field out; null when the field is required.</param>
/// <param name="Direction">The declared effect of a higher value on the PD.</param>
/// <param name="IsComputed">True for collateral_ratio: derived, never supplied by a caller.</param>
/// <param name="Decimals">Digits kept after the point when a dataset is written (2 for money, cents); whole numbers have none.</param>
/// <param name="Lever">Whether an applicant can change it, and which way: the only features a what-if may move.</param>
public sealed record FeatureSpec(
    string Name,
    int Index,
    string Label,
    string Description,
    string Unit,
    bool IsInteger,
    double Minimum,
    double Maximum,
    bool MaximumIsDomainBound = false,
    double? Default = null,
    FeatureDirection Direction = FeatureDirection.None,
    bool IsComputed = false,
    int Decimals = 2,
    FeatureLever Lever = FeatureLever.None)
{
    /// <summary>The .NET format a dataset CSV writes this feature with ("F0" for whole numbers, "F2" for money).</summary>
    public string CsvFormat { get; } = "F" + (IsInteger ? 0 : Decimals).ToString(CultureInfo.InvariantCulture);

    /// <summary>True when a caller may leave the field out (it then takes <see cref="Default"/>).</summary>
    public bool IsOptional => Default is not null;

    /// <summary>"whole number, 0 to 36" or "0.01 to 1,000,000,000,000": the rule in words, for forms and documentation.</summary>
    public string RangeText => IsInteger
        ? $"whole number, {Format(Minimum)} to {Format(Maximum)}"
        : $"{Format(Minimum)} to {Format(Maximum)}";

    /// <summary>Returns null when <paramref name="value"/> is valid, otherwise a sentence naming the rule it breaks.</summary>
    public string? Check(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return "must be a finite number (NaN and Infinity are not allowed)";
        }

        if (IsInteger && Math.Floor(value) != value)
        {
            return "must be a whole number";
        }

        if (value < Minimum)
        {
            return Minimum == 0 ? "must not be negative" : $"must be at least {Format(Minimum)}";
        }

        if (value > Maximum)
        {
            return $"must be at most {Format(Maximum)}";
        }

        return null;
    }

    /// <summary>Invariant, with thousands separators and at most two decimals: 1,000,000 and 0.01.</summary>
    public static string Format(double value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);
}

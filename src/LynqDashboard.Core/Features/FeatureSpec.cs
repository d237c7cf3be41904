namespace LynqDashboard.Core.Features;

/// <summary>What one model feature may hold; shared by the CSV reader, the scorer and the HTTP validation.</summary>
/// <param name="Name">The snake_case name used in CSV headers, JSON and charts.</param>
/// <param name="Index">Position in the model's feature vector.</param>
/// <param name="IsInteger">True when only whole numbers are valid (counts, months, scores).</param>
/// <param name="Minimum">Smallest valid value.</param>
/// <param name="Maximum">Largest valid value, or <see cref="double.PositiveInfinity"/>.</param>
/// <param name="MinimumIsExclusive">True when <paramref name="Minimum"/> itself is invalid (loan_amount &gt; 0).</param>
/// <param name="IsComputed">True for collateral_ratio: derived, never supplied by a caller.</param>
/// <param name="Unit">Short unit for people: "days", "USD", "months" or empty.</param>
public sealed record FeatureSpec(
    string Name,
    int Index,
    bool IsInteger,
    double Minimum,
    double Maximum,
    bool MinimumIsExclusive,
    bool IsComputed,
    string Unit)
{
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

        if (MinimumIsExclusive ? value <= Minimum : value < Minimum)
        {
            return MinimumIsExclusive ? $"must be greater than {Minimum:0.##}" :
                Minimum == 0 ? "must not be negative" : $"must be at least {Minimum:0.##}";
        }

        if (value > Maximum)
        {
            return $"must be at most {Maximum:0.##}";
        }

        return null;
    }
}

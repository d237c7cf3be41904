using LynqDashboard.Core.Features;

namespace LynqDashboard.Web.Model;

/// <summary>
/// The scoring form: the 11 supplied fields as typed (doubles, so "1.5 transactions" can be reported rather than
/// rounded away), starting at the LYNQ example applicant, checked with the API's rules.
/// </summary>
public sealed class ScoreForm
{
    private readonly double[] _values = [.. LoanFeatures.All.Select(LoanApplication.Example.Get)];

    public double CollateralRatio => LoanFeatures.ComputeCollateralRatio(Value(LoanFeatures.LoanAmount), Value(LoanFeatures.CollateralValueUsd));

    public double Value(FeatureSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.IsComputed ? CollateralRatio : _values[spec.Index];
    }

    public void Set(FeatureSpec spec, double value)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.IsComputed)
        {
            throw new ArgumentException($"{spec.Name} is computed.", nameof(spec));
        }

        _values[spec.Index] = value;
    }

    /// <summary>Messages by feature name, with the API's rules; empty when the application can be scored.</summary>
    public IReadOnlyDictionary<string, string> Validate() =>
        LoanFeatures.Supplied
            .Select(spec => (spec, Message: spec.Check(Value(spec))))
            .Where(e => e.Message is not null)
            .ToDictionary(e => e.spec.Name, e => $"{e.spec.Label} {e.Message}.");

    public LoanApplication ToApplication() => LoanApplication.From("dashboard", Value);
}

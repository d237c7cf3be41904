using System.Globalization;
using LynqDashboard.Core.Registry;

namespace LynqDashboard.Core.Promotion;

/// <summary>
/// The quality a version needs to reach production, measured on its test split.
/// </summary>
/// <param name="MinRocAuc">Lowest ROC-AUC accepted (default 0.75; LYNQ data gives 0.84–0.86).</param>
/// <param name="MaxCalibrationError">Largest mean |predicted − observed| over the calibration deciles (default 0.03; trained models show 0.008–0.013).</param>
/// <param name="MaxBrier">Largest Brier score; null to not check it.</param>
public sealed record PromotionGates(double MinRocAuc = 0.75, double MaxCalibrationError = 0.03, double? MaxBrier = null)
{
    /// <summary>One line per gate: (passed, words).</summary>
    public IReadOnlyList<(bool Passed, string Detail)> Check(ModelVersionRecord version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var results = new List<(bool, string)>
        {
            Gate("ROC-AUC", version.RocAuc, MinRocAuc, atLeast: true),
            Gate("calibration error", version.CalibrationError, MaxCalibrationError, atLeast: false),
        };
        if (MaxBrier is { } brier)
        {
            results.Add(Gate("Brier", version.Brier, brier, atLeast: false));
        }

        return results;
    }

    /// <summary>Each rule the gates break, as (name, message); empty when usable.</summary>
    public IEnumerable<(string Name, string Message)> Validate()
    {
        if (MinRocAuc is < 0.5 or > 1)
        {
            yield return (nameof(MinRocAuc), "must be between 0.5 and 1");
        }

        if (MaxCalibrationError is <= 0 or > 1)
        {
            yield return (nameof(MaxCalibrationError), "must be above 0 and at most 1");
        }

        if (MaxBrier is <= 0 or > 1)
        {
            yield return (nameof(MaxBrier), "must be above 0 and at most 1 (or left out)");
        }
    }

    private static (bool, string) Gate(string name, double? value, double limit, bool atLeast)
    {
        var bound = $"{(atLeast ? "≥" : "≤")} {limit.ToString("0.####", CultureInfo.InvariantCulture)}";
        if (value is not { } v)
        {
            return (false, $"{name} was not measured (needs {bound})");
        }

        var passed = atLeast ? v >= limit : v <= limit;
        return (passed, $"{name} {v.ToString("0.0000", CultureInfo.InvariantCulture)} {(passed ? "meets" : "misses")} {bound}");
    }
}

namespace LynqDashboard.Core.Data;

/// <summary>What to generate. Same parameters, same bytes.</summary>
/// <param name="Rows">Number of rows, 1 to 50,000,000.</param>
/// <param name="Seed">Any 64-bit integer; the only source of randomness.</param>
/// <param name="DefaultRate">Target share of defaults, 0.005 to 0.5 (default 0.08).</param>
/// <param name="LabelMode">How labels are drawn (default probabilistic).</param>
public sealed record DatasetParameters(
    int Rows,
    long Seed,
    double DefaultRate = DatasetParameters.DefaultDefaultRate,
    LabelMode LabelMode = LabelMode.Probabilistic)
{
    public const int MinRows = 1;
    public const int MaxRows = 50_000_000;
    public const double MinDefaultRate = 0.005;
    public const double MaxDefaultRate = 0.5;
    public const double DefaultDefaultRate = 0.08;

    /// <summary>Every rule broken, as (parameter, message) pairs; empty when valid.</summary>
    public IReadOnlyList<(string Parameter, string Message)> Validate()
    {
        var errors = new List<(string, string)>();
        if (Rows is < MinRows or > MaxRows)
        {
            errors.Add(("rows", $"must be between {MinRows:N0} and {MaxRows:N0} (got {Rows:N0})"));
        }

        if (double.IsNaN(DefaultRate) || DefaultRate < MinDefaultRate || DefaultRate > MaxDefaultRate)
        {
            errors.Add(("default_rate", $"must be between {MinDefaultRate:P1} and {MaxDefaultRate:P0} (got {DefaultRate})"));
        }

        if (!Enum.IsDefined(LabelMode))
        {
            errors.Add(("label_mode", $"must be '{LabelModeNames.Probabilistic}' or '{LabelModeNames.LynqOriginal}'"));
        }

        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every broken rule.</summary>
    public void EnsureValid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw LynqException.Invalid([.. errors.Select(e => new FieldProblem(e.Parameter, e.Message))]);
        }
    }
}

using LynqDashboard.Core.Data;

namespace LynqDashboard.Web.Model;

/// <summary>The generate form's values, with the same rules as the generator.</summary>
public sealed class GenerateForm
{
    public int Rows { get; set; } = 50_000;

    public long Seed { get; set; } = 42;

    /// <summary>Target default rate in percent (the generator takes a share).</summary>
    public double DefaultRatePercent { get; set; } = DatasetParameters.DefaultDefaultRate * 100;

    public LabelMode LabelMode { get; set; } = LabelMode.Probabilistic;

    public DatasetParameters ToParameters() => new(Rows, Seed, DefaultRatePercent / 100, LabelMode);

    /// <summary>The message for one field if it held <paramref name="value"/>, or null: a field's inline rule.</summary>
    public string? ErrorFor(string field, double value, int maxRows)
    {
        var candidate = (GenerateForm)MemberwiseClone();
        switch (field)
        {
            case nameof(Rows): candidate.Rows = (int)value; break;
            case nameof(DefaultRatePercent): candidate.DefaultRatePercent = value; break;
        }

        return candidate.Validate(maxRows).GetValueOrDefault(field);
    }

    /// <summary>Errors by form field ("Rows", "DefaultRatePercent"); empty when valid.</summary>
    public IReadOnlyDictionary<string, string> Validate(int maxRows)
    {
        var errors = new Dictionary<string, string>();
        if (Rows < DatasetParameters.MinRows || Rows > maxRows)
        {
            errors[nameof(Rows)] = $"Rows must be between 1 and {maxRows:N0}.";
        }

        if (double.IsNaN(DefaultRatePercent) || DefaultRatePercent < DatasetParameters.MinDefaultRate * 100 || DefaultRatePercent > DatasetParameters.MaxDefaultRate * 100)
        {
            errors[nameof(DefaultRatePercent)] = "Default rate must be between 0.5 % and 50 %.";
        }

        return errors;
    }
}

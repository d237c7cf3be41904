namespace LynqDashboard.Core.Data;

/// <summary>How the generator decides who defaults.</summary>
public enum LabelMode
{
    /// <summary>Each row gets a true default probability; the label is a Bernoulli draw from it (default).</summary>
    Probabilistic,

    /// <summary>
    /// The original LYNQ script: the riskiest share defaults, 5 % of labels flip, and repayment history and
    /// reputation are derived from the realised label. Kept only to show why that model looked perfect.
    /// </summary>
    LynqOriginal,
}

public static class LabelModeNames
{
    public const string Probabilistic = "probabilistic";
    public const string LynqOriginal = "lynq-original";

    public static string ToName(this LabelMode mode) => mode switch
    {
        LabelMode.Probabilistic => Probabilistic,
        LabelMode.LynqOriginal => LynqOriginal,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown label mode."),
    };

    public static bool TryParse(string? text, out LabelMode mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case Probabilistic:
                mode = LabelMode.Probabilistic;
                return true;
            case LynqOriginal or "lynqoriginal" or "original":
                mode = LabelMode.LynqOriginal;
                return true;
            default:
                mode = default;
                return false;
        }
    }
}

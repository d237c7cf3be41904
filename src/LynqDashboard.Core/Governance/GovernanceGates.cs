namespace LynqDashboard.Core.Governance;

/// <summary>
/// What a candidate must show against the version in production, and how far its PD may move against a declared feature
/// direction, before a promotion request can be approved. Bound from Lynq:Governance by the host.
/// </summary>
/// <param name="MaxAucDrop">How far the candidate's ROC-AUC may fall below production's on each comparison set (default 0.005).</param>
/// <param name="MaxScorePsi">Largest population stability index of the candidate's PDs against production's on the same rows (default 0.25: above it the two models score a different population).</param>
/// <param name="MaxShareAgainstDirection">
/// Largest share of swept applicants whose PD moves against a feature's declared direction, for any feature (default 0.10).
/// Measured: default-parameter models on lynq-gen/2 data (50k and 100k rows) move 0.0 % of 500 applicants against any
/// declared direction, so a tenth leaves room for tree steps; a small 40-tree model on 10k rows moved total_volume_usd the
/// wrong way for 35 % of them and is rightly held for a written reason. A lynq-original model is not caught here: its leaked
/// columns separate the classes alone and its collateral PD is flat (0.0 %); the leakage check stops it.
/// </param>
public sealed record GovernanceGates(double MaxAucDrop = 0.005, double MaxScorePsi = 0.25, double MaxShareAgainstDirection = 0.10)
{
    /// <summary>Each rule the gates break, as (name, message); empty when usable.</summary>
    public IEnumerable<(string Name, string Message)> Validate()
    {
        if (MaxAucDrop is < 0 or > 0.5 || double.IsNaN(MaxAucDrop))
        {
            yield return (nameof(MaxAucDrop), "must be between 0 and 0.5 (an AUC difference)");
        }

        if (MaxScorePsi is <= 0 || double.IsNaN(MaxScorePsi) || double.IsInfinity(MaxScorePsi))
        {
            yield return (nameof(MaxScorePsi), "must be a positive number (0.1 is strict, 0.25 the usual limit)");
        }

        if (MaxShareAgainstDirection is < 0 or > 1 || double.IsNaN(MaxShareAgainstDirection))
        {
            yield return (nameof(MaxShareAgainstDirection), "must be a share between 0 and 1");
        }
    }
}

using LynqDashboard.Core.Governance;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Configuration;

/// <summary>
/// The "Lynq:Governance" section: who may put a version in production and the gates its review must pass.
/// </summary>
public sealed class GovernanceOptions
{
    public const string Section = "Lynq:Governance";

    /// <summary>
    /// The four-eyes rule (default true; LYNQ_REQUIRE_SECOND_APPROVER sets it): the approver of a promotion may be neither
    /// its requester nor the version's trainer. Off for a one-person team; each approval's audit line then says so.
    /// </summary>
    public bool RequireSecondApprover { get; set; } = true;

    /// <summary>How far the candidate's ROC-AUC may fall below production's on the same rows (default 0.005).</summary>
    public double MaxAucDrop { get; set; } = new GovernanceGates().MaxAucDrop;

    /// <summary>Largest population stability index of the candidate's PDs against production's on the same rows (default 0.25).</summary>
    public double MaxScorePsi { get; set; } = new GovernanceGates().MaxScorePsi;

    /// <summary>Largest share of applicants whose PD may move against a feature's declared direction before a written reason is needed.</summary>
    public double MaxShareAgainstDirection { get; set; } = new GovernanceGates().MaxShareAgainstDirection;

    public FourEyesRule ToRule() => new(RequireSecondApprover);

    public GovernanceGates ToGates() => new GovernanceGates() with { MaxAucDrop = MaxAucDrop, MaxScorePsi = MaxScorePsi, MaxShareAgainstDirection = MaxShareAgainstDirection };
}

/// <summary>Start-up validation of the governance section; each message names the key to fix.</summary>
public sealed class GovernanceOptionsValidator : IValidateOptions<GovernanceOptions>
{
    public ValidateOptionsResult Validate(string? name, GovernanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.ToGates().Validate().Select(e => $"{GovernanceOptions.Section}:{e.Name} {e.Message}.").ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

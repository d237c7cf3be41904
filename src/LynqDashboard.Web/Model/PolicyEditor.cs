using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Web.Model;

/// <summary>
/// The Policy page's edit in progress: the active policy, the proposal built from a target approval rate, a target bad
/// rate or edited band bounds, each problem of the proposal by field, and both replayed on the test rows (before → after).
/// </summary>
public sealed class PolicyEditor
{
    private readonly PolicyTradeOff? _tradeOff;

    /// <param name="current">The active policy.</param>
    /// <param name="tradeOff">The serving version's test rows; null when there are none (the outcomes stay empty).</param>
    public PolicyEditor(RiskPolicy current, PolicyTradeOff? tradeOff)
    {
        Current = current ?? throw new ArgumentNullException(nameof(current));
        _tradeOff = tradeOff;
        Before = tradeOff?.Evaluate(current);
        CurrentPoint = tradeOff?.AtCutoff(current.DeclineCutoff);
        Curve = tradeOff?.Curve() ?? [];
        Proposed = current;
        Replay();
    }

    public RiskPolicy Current { get; }

    /// <summary>The policy a save would store (its version is numbered by the registry).</summary>
    public RiskPolicy Proposed { get; private set; }

    /// <summary>The active policy on the test rows, bands and hard rules included.</summary>
    public PolicyOutcome? Before { get; }

    /// <summary>The proposal on the test rows; null while it has problems.</summary>
    public PolicyOutcome? After { get; private set; }

    /// <summary>The active decline cutoff on the curve (PD below it approved, no hard rules).</summary>
    public PolicyOutcome? CurrentPoint { get; }

    /// <summary>The proposed decline cutoff on the curve; null while the proposal has problems.</summary>
    public PolicyOutcome? ProposedPoint { get; private set; }

    /// <summary>Approval rate against bad rate among approved and expected loss, 101 points.</summary>
    public IReadOnlyList<TradeOffPoint> Curve { get; }

    /// <summary>Target approval rate typed, as a fraction; null when the proposal came another way.</summary>
    public double? TargetApprovalRate { get; private set; }

    /// <summary>Target bad rate among approved typed, as a fraction; null when the proposal came another way.</summary>
    public double? TargetBadRate { get; private set; }

    /// <summary>Each problem of the proposal, keyed as <see cref="RiskPolicy.Validate"/> keys them ("Bands:2:UpperPd").</summary>
    public IReadOnlyList<(string Key, string Message)> Problems { get; private set; } = [];

    public bool HasTradeOff => _tradeOff is not null;

    /// <summary>Whether the proposal differs from the active policy (there is something to save).</summary>
    public bool Changed => !Proposed.Bands.SequenceEqual(Current.Bands);

    /// <summary>The problem of one field, or null.</summary>
    public string? ProblemFor(string key) => Problems.FirstOrDefault(p => p.Key == key).Message;

    /// <summary>Proposes the decline cutoff that approves <paramref name="rate"/> (a fraction) of the test book.</summary>
    public void ProposeApprovalRate(double rate)
    {
        if (_tradeOff is null)
        {
            return;
        }

        (TargetApprovalRate, TargetBadRate) = (rate, null);
        Propose(Current.WithDeclineCutoff(_tradeOff.CutoffForApprovalRate(rate)));
    }

    /// <summary>Proposes the highest decline cutoff whose bad rate among approved stays at or below <paramref name="rate"/>.</summary>
    public void ProposeBadRate(double rate)
    {
        if (_tradeOff is null)
        {
            return;
        }

        (TargetApprovalRate, TargetBadRate) = (null, rate);
        Propose(Current.WithDeclineCutoff(_tradeOff.CutoffForBadRate(rate)));
    }

    /// <summary>Sets one band's upper PD bound (a fraction) as typed; problems are shown, never thrown.</summary>
    public void SetUpperBound(int band, double upper)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(band);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(band, Proposed.Bands.Count);
        (TargetApprovalRate, TargetBadRate) = (null, null);
        Propose(Proposed with { Bands = [.. Proposed.Bands.Select((b, i) => i == band ? b with { UpperPd = upper } : b)] });
    }

    /// <summary>Back to the active policy.</summary>
    public void Reset()
    {
        (TargetApprovalRate, TargetBadRate) = (null, null);
        Propose(Current);
    }

    private void Propose(RiskPolicy next)
    {
        Proposed = next;
        Replay();
    }

    private void Replay()
    {
        Problems = Proposed.Validate();
        var valid = Problems.Count == 0;
        After = valid ? _tradeOff?.Evaluate(Proposed) : null;
        ProposedPoint = valid ? _tradeOff?.AtCutoff(Proposed.DeclineCutoff) : null;
    }
}

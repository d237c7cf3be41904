using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Scoring;

/// <summary>
/// What a policy does to a book of applicants: how many it approves, how many of those default, and the loss it expects.
/// Approved means APPROVE or APPROVE_WITH_CONDITIONS; an approved loan's exposure is the amount lent (the loan, or the
/// maximum when the policy caps it). Expected loss is Σ PD × exposure over approved loans (loss given default 100 %, no
/// recovery from collateral assumed); the realised loss is the exposure of approved loans that did default.
/// </summary>
/// <param name="Applicants">Rows the outcome is computed on.</param>
/// <param name="Approved">Rows approved.</param>
/// <param name="ApprovalRate">Approved ÷ applicants.</param>
/// <param name="BadRateAmongApproved">Defaults among approved ÷ approved (0 when none is approved).</param>
/// <param name="ApproveEveryoneBadRate">The book's default rate: the bad rate if everyone were approved.</param>
/// <param name="ApprovedExposure">USD lent to approved applicants.</param>
/// <param name="ExpectedLoss">Σ PD × exposure over approved loans, USD.</param>
/// <param name="RealisedLoss">Exposure of approved loans that defaulted, USD.</param>
/// <param name="ManualReviews">Rows sent to a manual review (neither approved nor rejected).</param>
public sealed record PolicyOutcome(
    int Applicants,
    int Approved,
    double ApprovalRate,
    double BadRateAmongApproved,
    double ApproveEveryoneBadRate,
    double ApprovedExposure,
    double ExpectedLoss,
    double RealisedLoss,
    int ManualReviews)
{
    /// <summary>Expected loss as a share of the approved exposure (0 when nothing is lent).</summary>
    public double ExpectedLossRate => ApprovedExposure > 0 ? ExpectedLoss / ApprovedExposure : 0;
}

/// <summary>One point of the trade-off curve: approve everyone whose PD is below <paramref name="Cutoff"/>.</summary>
public sealed record TradeOffPoint(double Cutoff, double ApprovalRate, double BadRateAmongApproved, double ExpectedLoss, double ExpectedLossRate);

/// <summary>
/// Replays policies on a version's stored test rows (their calibrated PDs, outcomes and features), so an analyst sees
/// approval rate against bad rate among approved and expected loss before a policy is saved. Without stored features
/// (versions trained before they were kept) only the PD cutoff can be replayed and exposure counts one dollar a row.
/// </summary>
public sealed class PolicyTradeOff
{
    private readonly float[] _pd;
    private readonly bool[] _defaulted;
    private readonly double[] _loan;
    private readonly double[] _collateral;
    private readonly double[] _fraud;
    private readonly int[] _byPd;

    public PolicyTradeOff(TestPredictions predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var n = predictions.Count;
        (_pd, _defaulted) = (predictions.Probabilities, predictions.Labels);
        HasFeatures = predictions.Features is not null && predictions.Features.Length == n * LoanFeatures.Count;
        (_loan, _collateral, _fraud) = (new double[n], new double[n], new double[n]);
        for (var i = 0; i < n; i++)
        {
            if (!HasFeatures)
            {
                (_loan[i], _collateral[i]) = (1, double.PositiveInfinity);
                continue;
            }

            var row = predictions.Row(i).ToArray();
            var application = LoanApplication.From(null, spec => row[spec.Index]);
            (_loan[i], _collateral[i], _fraud[i]) = (application.LoanAmount, application.CollateralValueUsd, RiskSignals.FraudScore(application));
        }

        _byPd = [.. Enumerable.Range(0, n).OrderBy(i => _pd[i])];
        BookBadRate = n == 0 ? 0 : (double)_defaulted.Count(d => d) / n;
    }

    /// <summary>Whether the rows carry their features, so hard rules, loan caps and exposure in USD are replayed too.</summary>
    public bool HasFeatures { get; }

    public int Count => _pd.Length;

    /// <summary>The default rate of the whole test book (the bad rate if everyone were approved).</summary>
    public double BookBadRate { get; }

    /// <summary>The full policy (bands, caps and hard rules) on every row.</summary>
    public PolicyOutcome Evaluate(RiskPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var (approved, bad, reviews) = (0, 0, 0);
        var (exposure, expected, realised) = (0.0, 0.0, 0.0);
        for (var i = 0; i < _pd.Length; i++)
        {
            var decision = Decide(policy, i);
            if (decision.Action == RecommendedAction.MANUAL_REVIEW)
            {
                reviews++;
            }

            if (decision.Action is not (RecommendedAction.APPROVE or RecommendedAction.APPROVE_WITH_CONDITIONS))
            {
                continue;
            }

            var lent = policy.CapLoanAtMaximum ? Math.Min(_loan[i], decision.MaxLoanAmount) : _loan[i];
            approved++;
            exposure += lent;
            expected += _pd[i] * lent;
            if (_defaulted[i])
            {
                bad++;
                realised += lent;
            }
        }

        return Outcome(approved, bad, exposure, expected, realised, reviews);
    }

    /// <summary>The action the full policy (bands, caps and hard rules) gives each row, in row order: two models' decisions on the same rows compare row by row.</summary>
    public RecommendedAction[] Actions(RiskPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var actions = new RecommendedAction[_pd.Length];
        for (var i = 0; i < actions.Length; i++)
        {
            actions[i] = Decide(policy, i).Action;
        }

        return actions;
    }

    /// <summary>Approve every row whose PD is below <paramref name="cutoff"/> (no hard rules): the curve's view of one cutoff.</summary>
    public PolicyOutcome AtCutoff(double cutoff)
    {
        var (approved, bad) = (0, 0);
        var (exposure, expected, realised) = (0.0, 0.0, 0.0);
        foreach (var i in _byPd)
        {
            if (_pd[i] >= cutoff)
            {
                break;
            }

            approved++;
            exposure += _loan[i];
            expected += _pd[i] * _loan[i];
            if (_defaulted[i])
            {
                bad++;
                realised += _loan[i];
            }
        }

        return Outcome(approved, bad, exposure, expected, realised, 0);
    }

    /// <summary>
    /// The curve of approval rate against bad rate among approved and expected loss, one point per share of the book
    /// approved (<paramref name="points"/> evenly spaced approval rates, cutoffs taken at the matching PD).
    /// </summary>
    public IReadOnlyList<TradeOffPoint> Curve(int points = 101)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);
        var curve = new List<TradeOffPoint>(points);
        if (_pd.Length == 0)
        {
            return curve;
        }

        var (approved, bad) = (0, 0);
        var (exposure, expected) = (0.0, 0.0);
        for (var p = 0; p < points; p++)
        {
            var target = (int)Math.Round((double)p / (points - 1) * _pd.Length);
            while (approved < target)
            {
                var i = _byPd[approved++];
                exposure += _loan[i];
                expected += _pd[i] * _loan[i];
                bad += _defaulted[i] ? 1 : 0;
            }

            var cutoff = approved < _pd.Length ? _pd[_byPd[approved]] : 1.0;
            curve.Add(new TradeOffPoint(cutoff, (double)approved / _pd.Length, approved == 0 ? 0 : (double)bad / approved, expected, exposure > 0 ? expected / exposure : 0));
        }

        return curve;
    }

    /// <summary>The PD cutoff that approves as close to <paramref name="approvalRate"/> (0–1) of the book as the rows allow.</summary>
    public double CutoffForApprovalRate(double approvalRate)
    {
        if (_pd.Length == 0)
        {
            return 0;
        }

        var approved = (int)Math.Round(Math.Clamp(approvalRate, 0, 1) * _pd.Length);
        return approved >= _pd.Length ? 1.0 : _pd[_byPd[approved]];
    }

    /// <summary>
    /// The highest PD cutoff whose bad rate among approved stays at or below <paramref name="badRate"/> (approving in PD
    /// order); 0 when even the safest applicant's bucket is worse.
    /// </summary>
    public double CutoffForBadRate(double badRate)
    {
        var (approved, bad, best) = (0, 0, 0.0);
        while (approved < _byPd.Length)
        {
            var i = _byPd[approved];
            var pd = _pd[i];

            // Rows with the same PD go in together: a cutoff cannot split them.
            while (approved < _byPd.Length && _pd[_byPd[approved]] == pd)
            {
                bad += _defaulted[_byPd[approved++]] ? 1 : 0;
            }

            if ((double)bad / approved <= badRate)
            {
                best = approved < _byPd.Length ? _pd[_byPd[approved]] : 1.0;
            }
        }

        return best;
    }

    private PolicyDecision Decide(RiskPolicy policy, int i) => HasFeatures
        ? policy.Decide(_pd[i], _loan[i], _collateral[i], _fraud[i])
        : new PolicyDecision(policy.BandFor(_pd[i]), policy.BandFor(_pd[i]).Action, double.PositiveInfinity, string.Empty);

    private PolicyOutcome Outcome(int approved, int bad, double exposure, double expected, double realised, int reviews) => new(
        _pd.Length,
        approved,
        _pd.Length == 0 ? 0 : (double)approved / _pd.Length,
        approved == 0 ? 0 : (double)bad / approved,
        BookBadRate,
        exposure,
        expected,
        realised,
        reviews);
}

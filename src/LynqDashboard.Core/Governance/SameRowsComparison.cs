using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Governance;

/// <summary>
/// Measures two models on one set of rows: each one's AUC, KS and calibration error, DeLong's interval of the AUC
/// difference, the PSI of the candidate's PDs against production's, and which rows the active policy would decide
/// differently (bands, caps and hard rules replayed as <see cref="PolicyTradeOff"/> does).
/// </summary>
public static class SameRowsComparison
{
    /// <param name="name">Which rows, for people.</param>
    /// <param name="candidate">The candidate's number and its PD of each row.</param>
    /// <param name="production">The production version's number and its PD of the same rows, in the same order.</param>
    /// <param name="labels">Each row's outcome.</param>
    /// <param name="features">The rows' features (<see cref="Features.LoanFeatures.Count"/> per row), so hard rules and caps replay; null replays the PD bands only.</param>
    /// <param name="policy">The policy whose decisions are compared.</param>
    public static ComparisonSet Measure(
        string name,
        (int Number, float[] Pd) candidate,
        (int Number, float[] Pd) production,
        bool[] labels,
        float[]? features,
        RiskPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(candidate.Pd);
        ArgumentNullException.ThrowIfNull(production.Pd);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(policy);
        if (candidate.Pd.Length != labels.Length || production.Pd.Length != labels.Length)
        {
            throw new ArgumentException($"{name}: {candidate.Pd.Length:N0} candidate and {production.Pd.Length:N0} production PDs for {labels.Length:N0} rows.");
        }

        var auc = DeLong.Compare(candidate.Pd, production.Pd, labels);
        var candidateActions = new PolicyTradeOff(new TestPredictions(candidate.Pd, labels, features)).Actions(policy);
        var productionActions = new PolicyTradeOff(new TestPredictions(production.Pd, labels, features)).Actions(policy);
        var changes = Enumerable.Range(0, labels.Length)
            .Where(i => candidateActions[i] != productionActions[i])
            .GroupBy(i => (Production: productionActions[i], Candidate: candidateActions[i]))
            .Select(g => new ActionChange(g.Key.Production, g.Key.Candidate, g.Count()))
            .OrderBy(c => c.Production).ThenBy(c => c.Candidate)
            .ToList();
        return new ComparisonSet(
            name,
            labels.Length,
            labels.Count(l => l),
            Measures(candidate.Number, auc.AucA, candidate.Pd, labels),
            Measures(production.Number, auc.AucB, production.Pd, labels),
            auc.Difference,
            auc.Low,
            auc.High,
            auc.PValue,
            PopulationStability.Index(production.Pd, candidate.Pd),
            changes);
    }

    // The AUC is DeLong's own (the same Mann–Whitney statistic), so the rows are ranked once per model.
    private static ModelMeasures Measures(int number, double auc, float[] pd, bool[] labels) => new(
        number,
        auc,
        BinaryMetrics.KolmogorovSmirnov(pd, labels),
        Calibration.ExpectedCalibrationError(Calibration.ByDecile(pd, labels)));
}

using LynqDashboard.Core.Evaluation;

namespace LynqDashboard.Core.Monitoring.Challengers;

/// <summary>
/// Champion and shadow on the loans whose outcome is known: each one's AUC and calibration, and the differences with
/// paired intervals (both models scored the same loans, so their errors are correlated and the pairing narrows the interval).
/// </summary>
internal static class OutcomeComparer
{
    /// <param name="champion">The champion's PD per row.</param>
    /// <param name="shadow">The shadow's PD per row.</param>
    /// <param name="outcome">Per row: 1 defaulted, 0 repaid, −1 unknown.</param>
    /// <returns>Null when no row has an outcome.</returns>
    public static OutcomeComparison? Compare(ReadOnlySpan<double> champion, ReadOnlySpan<double> shadow, ReadOnlySpan<sbyte> outcome)
    {
        var loans = 0;
        foreach (var o in outcome)
        {
            loans += o >= 0 ? 1 : 0;
        }

        if (loans == 0)
        {
            return null;
        }

        var c = new float[loans];
        var s = new float[loans];
        var labels = new bool[loans];
        for (int i = 0, k = 0; i < outcome.Length; i++)
        {
            if (outcome[i] >= 0)
            {
                (c[k], s[k], labels[k]) = ((float)champion[i], (float)shadow[i], outcome[i] == 1);
                k++;
            }
        }

        var defaults = labels.LongCount(l => l);
        var bothClasses = defaults > 0 && defaults < loans;
        var championStats = Stats(c, labels, bothClasses);
        var shadowStats = Stats(s, labels, bothClasses);
        AucComparison? auc = bothClasses ? DeLong.Compare(s, c, labels) : null;

        // |gap| − |gap| per row: the sign of each model's overall gap turns its residual into its absolute gap, so the mean of
        // the per-row differences is the difference of absolute gaps (the delta method; exact while neither gap is near 0).
        var championSign = championStats.CalibrationGap is { Estimate: < 0 } ? -1.0 : 1.0;
        var shadowSign = shadowStats.CalibrationGap is { Estimate: < 0 } ? -1.0 : 1.0;
        var gaps = new double[loans];
        var brier = new double[loans];
        for (var k = 0; k < loans; k++)
        {
            var y = labels[k] ? 1.0 : 0.0;
            var (rc, rs) = ((double)c[k] - y, (double)s[k] - y);
            gaps[k] = (shadowSign * rs) - (championSign * rc);
            brier[k] = (rs * rs) - (rc * rc);
        }

        var note = bothClasses ? null
            : defaults == 0 ? $"None of the {loans:N0} loans with an outcome defaulted: the AUCs need defaults and repayments."
            : $"All {loans:N0} loans with an outcome defaulted: the AUCs need defaults and repayments.";
        return new OutcomeComparison(loans, defaults, (double)defaults / loans, championStats, shadowStats,
            auc is null ? null : new Interval(auc.Difference, auc.Low, auc.High), auc?.PValue, Interval.MeanOf(gaps), Interval.MeanOf(brier), note);
    }

    private static ModelOnOutcomes Stats(float[] pds, bool[] labels, bool bothClasses)
    {
        var residuals = new double[pds.Length];
        double sum = 0, squares = 0;
        for (var k = 0; k < pds.Length; k++)
        {
            residuals[k] = pds[k] - (labels[k] ? 1.0 : 0.0);
            sum += pds[k];
            squares += residuals[k] * residuals[k];
        }

        return new ModelOnOutcomes(bothClasses ? BinaryMetrics.RocAuc(pds, labels) : null, sum / pds.Length, Interval.MeanOf(residuals), squares / pds.Length);
    }
}

using LynqDashboard.Core.Features;
using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Reports;

// Sections 7 to 10: what the model does with the declared directions, how it compared with production, what it
// cannot be trusted for, and who approved it.
public static partial class ReportOutline
{
    /// <summary>Above this share of applicants moving against a declared direction, the limitations name the feature.</summary>
    public const double NotableShareAgainst = 0.05;

    private static void Monotonicity(ModelReportContent content, List<ReportBlock> blocks)
    {
        blocks.Add(new ReportHeading("7. Monotonicity"));
        if (content.Monotonicity is not { } sweeps)
        {
            blocks.Add(new ReportParagraph("Not recorded: this version was trained before the monotonicity sweep was kept with it (monotonicity.json)."));
            return;
        }

        var applicants = sweeps.Count == 0 ? 0 : sweeps.Max(s => s.Applicants);
        blocks.Add(new ReportParagraph(
            $"Each feature with a declared direction was swept over its training range for {ReportFormat.Count(applicants)} test applicants " +
            $"(individual conditional expectation). The share counts applicants whose PD at the high end is on the wrong side of their PD at the low end by more than {ReportFormat.Percent(MonotonicityCheck.Tolerance)}."));
        blocks.Add(new ReportTable(["Feature", "Declared", "Range", "Mean PD low → high", "Against direction", "Average follows"],
            [.. sweeps.Select(s => (IReadOnlyList<string>)
            [
                Label(s.Feature),
                Direction(s.Direction),
                $"{ReportFormat.Value(s.From)} to {ReportFormat.Value(s.To)}",
                $"{ReportFormat.Percent(s.MeanPdAtFrom, 2)} → {ReportFormat.Percent(s.MeanPdAtTo, 2)}",
                ReportFormat.Percent(s.ShareAgainst),
                s.AverageFollowsDirection ? "yes" : "no",
            ])],
            [2.2, 1.5, 2, 1.8, 1.1, 0.9]));
    }

    private static void Comparison(ModelReportContent content, List<ReportBlock> blocks)
    {
        blocks.Add(new ReportHeading("8. Champion–challenger comparison"));
        var checks = content.Checks;
        if (content.Comparison is not { } comparison)
        {
            blocks.Add(new ReportParagraph(content.Requests.Count == 0
                ? "None was made: the version has not been put forward for production."
                : "None was made: nothing was in production when the version was put forward."));
        }
        else
        {
            blocks.Add(new ReportParagraph(
                $"v{comparison.CandidateNumber} (challenger) against v{comparison.ProductionNumber} (production) on the same rows, at risk policy version {comparison.PolicyVersion}."));
            foreach (var set in comparison.Sets)
            {
                blocks.Add(new ReportHeading($"{set.Name}: {ReportFormat.Count(set.Rows)} rows, {ReportFormat.Count(set.Defaults)} defaults", 2));
                blocks.Add(new ReportTable(["Measure", $"v{set.Candidate.VersionNumber} (challenger)", $"v{set.Production.VersionNumber} (production)"],
                [
                    ["ROC-AUC", ReportFormat.Metric(set.Candidate.RocAuc), ReportFormat.Metric(set.Production.RocAuc)],
                    ["KS", ReportFormat.Metric(set.Candidate.Ks), ReportFormat.Metric(set.Production.Ks)],
                    ["Calibration error", ReportFormat.Metric(set.Candidate.CalibrationError), ReportFormat.Metric(set.Production.CalibrationError)],
                ], [2, 1.5, 1.5]));
                blocks.Add(new ReportParagraph(
                    $"AUC difference {Signed(set.AucDifference)} (95 % CI {Signed(set.AucDifferenceLow)} to {Signed(set.AucDifferenceHigh)}, p = {set.AucDifferencePValue.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)}); " +
                    $"score PSI {ReportFormat.Metric(set.ScorePsi)}; {ReportFormat.Count(set.ChangedActions)} of {ReportFormat.Count(set.Rows)} applicants change action" +
                    (set.ActionChanges.Count == 0 ? "." : ": " + string.Join("; ", set.ActionChanges.Select(c => $"{c.Production} → {c.Candidate} {ReportFormat.Count(c.Count)}")) + ".")));
            }
        }

        if (checks.Count > 0)
        {
            blocks.Add(new ReportHeading("Review gates of the latest request", 2));
            blocks.Add(new ReportTable(["Gate", "Result", "Evidence"],
                [.. checks.Select(c => (IReadOnlyList<string>)[c.Name, c.Passed ? "passed" : c.Overridable ? "failed (a written reason may override)" : "failed", c.Detail])],
                [1.5, 1.3, 4]));
        }
    }

    private static void Limitations(ModelReportContent content, List<ReportBlock> blocks)
    {
        var items = new List<string>();
        var ranges = LoanFeatures.All.Where(f => f.Direction != FeatureDirection.None)
            .Select(f => content.TrainingRange(f.Name) is { } r ? $"{f.Label} {ReportFormat.Value(r.From)} to {ReportFormat.Value(r.To)}" : null)
            .OfType<string>().ToList();
        items.Add("Inputs outside the training range: trees do not extrapolate, so an applicant beyond what the model saw gets the PD of the nearest value it saw. " +
            (ranges.Count > 0 ? $"Training ranges: {string.Join("; ", ranges)}." : "The training ranges were not recorded for this version."));
        if (content.IsSynthetic)
        {
            items.Add($"Synthetic data: every row was drawn by the LYNQ generator ({content.Config.Dataset.Generator!.GeneratorVersion}), not observed on real borrowers. " +
                "The model learnt the recipe's relationships; its PDs must be checked against real repayment outcomes before they are relied on.");
        }
        else
        {
            items.Add($"Supplied data: the rows came from the file {content.Config.Dataset.FileName}; how its labels were defined is the supplier's, and should be checked against LYNQ's definition of default.");
        }

        items.Add(content.LabelMode switch
        {
            Data.LabelModeNames.LynqOriginal => "Label mode lynq-original: repayment history and reputation were derived from the realised label, as in the original script, so the metrics are inflated and the model is not fit for decisions.",
            Data.LabelModeNames.Probabilistic => "Label mode probabilistic: each label is a draw from a known PD, so even a perfect model misses some defaults; the oracle AUC is the ceiling.",
            null => "Label mode: not applicable (supplied data).",
            var other => $"Label mode {other}.",
        });
        if (content.Metrics.LeakageSuspects.Count > 0)
        {
            items.Add($"Target leakage flagged on {string.Join(", ", content.Metrics.LeakageSuspects.Select(Label))}: the version must not serve without a written override.");
        }

        foreach (var sweep in content.Monotonicity ?? [])
        {
            if (!sweep.AverageFollowsDirection || sweep.ShareAgainst > NotableShareAgainst)
            {
                items.Add($"{Label(sweep.Feature)}: the PD moves against the declared direction for {ReportFormat.Percent(sweep.ShareAgainst)} of applicants{(sweep.AverageFollowsDirection ? string.Empty : ", and on average")}.");
            }
        }

        blocks.Add(new ReportHeading("9. Limitations"));
        blocks.Add(new ReportList(items));
    }

    private static void Approvals(ModelReportContent content, List<ReportBlock> blocks)
    {
        blocks.Add(new ReportHeading("10. Approvals and audit trail"));
        blocks.Add(content.Requests.Count == 0
            ? new ReportParagraph("No promotion request has been made for this version.")
            : new ReportTable(["Requested", "By", "Comment", "Decision", "Approver", "Decided", "Decision comment"],
                [.. content.Requests.Select(r => (IReadOnlyList<string>)
                [
                    ReportFormat.Time(r.RequestedAt),
                    r.RequestedBy,
                    Reasons(r),
                    r.Status.ToString() + (r.SecondApproverRequired ? string.Empty : " (second approver not required)"),
                    r.DecidedBy ?? "–",
                    ReportFormat.Time(r.DecidedAt),
                    r.DecisionComment ?? "–",
                ])],
                [1.4, 1.2, 2, 1, 1.2, 1.4, 2]));
        blocks.Add(new ReportHeading($"Audit log events for {content.Label}", 2));
        blocks.Add(content.Audit.Count == 0
            ? new ReportParagraph($"The audit log holds no event about {content.Label} yet.")
            : new ReportTable(["When", "Who", "Action", "Detail"],
                [.. content.Audit.Select(e => (IReadOnlyList<string>)[ReportFormat.Time(e.At), e.Actor, e.Action, e.Detail])],
                [1.4, 1.3, 1.4, 4]));
    }

    // The requester's comment with any written override, so an approver's reading of the gates is on record.
    private static string Reasons(PromotionRequestRecord r)
    {
        var parts = new List<string> { string.IsNullOrWhiteSpace(r.Comment) ? "–" : r.Comment };
        if (r.LeakageReason is { } leakage)
        {
            parts.Add($"leakage override: {leakage}");
        }

        if (r.MonotonicityReason is { } monotonicity)
        {
            parts.Add($"monotonicity override: {monotonicity}");
        }

        return string.Join("; ", parts);
    }

    private static string Signed(double value) =>
        (value > 0 ? "+" : value < 0 ? "−" : string.Empty) + Math.Abs(value).ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture);
}

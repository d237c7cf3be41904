using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Reports;

/// <summary>
/// The wording of the documentation pack: turns <see cref="ModelReportContent"/> into headings, paragraphs, tables and
/// charts in the order a model-risk reviewer reads them (purpose, lineage, features, training, validation, leakage,
/// monotonicity, champion–challenger, limitations, approvals and audit).
/// </summary>
public static partial class ReportOutline
{
    public static ReportDocument Compose(ModelReportContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var v = content.Version;
        var blocks = new List<ReportBlock>();
        Purpose(blocks);
        Lineage(content, blocks);
        Features(content, blocks);
        Training(content, blocks);
        Validation(content, blocks);
        Leakage(content, blocks);
        Monotonicity(content, blocks);
        Comparison(content, blocks);
        Limitations(content, blocks);
        Approvals(content, blocks);
        var subtitle = $"{v.Label} · {v.Status} · trained {ReportFormat.Time(v.FinishedAt ?? v.CreatedAt)} by {v.TrainedBy ?? "not recorded"} · " +
            $"{content.Config.ModelType} · ML.NET {content.Config.MlNetVersion} · report generated {ReportFormat.Time(content.GeneratedAt)}";
        return new ReportDocument($"LYNQ credit-risk model {v.Label}: documentation pack", subtitle, blocks);
    }

    private static void Purpose(List<ReportBlock> blocks)
    {
        blocks.Add(new ReportHeading("1. Purpose and intended use"));
        blocks.Add(new ReportParagraph(
            "The LYNQ DeFi loan default model estimates the probability of default (PD) of a loan application to the LYNQ lending " +
            "platform from the 12 features below. It is used together with the active risk policy, whose PD bands and cutoffs turn " +
            "the PD into a credit score, a risk level and a recommended action (approve, approve with conditions, manual review, reject)."));
        blocks.Add(new ReportParagraph(
            "It is not for other products (other loan types, other platforms, non-DeFi borrowers), for applicants outside the " +
            "training ranges listed in section 3, or for decisions without the risk policy and a person's review where the policy asks for one."));
    }

    private static void Lineage(ModelReportContent content, List<ReportBlock> blocks)
    {
        var d = content.Config.Dataset;
        blocks.Add(new ReportHeading("2. Data lineage"));
        var source = d.Generator is { } g
            ? $"LYNQ generator {g.GeneratorVersion}: {ReportFormat.Count(g.Rows)} rows, seed {g.Seed}, target default rate {ReportFormat.Percent(g.DefaultRate)}, label mode {g.LabelMode}"
            : $"supplied file {d.FileName}";
        var rate = content.Dataset?.ObservedDefaultRate is { } observed ? ReportFormat.Percent(observed, 2) : "not recorded";
        blocks.Add(new ReportTable(["Item", "Value"],
        [
            ["Source", source],
            ["Dataset", content.Dataset?.Name ?? "the dataset record was deleted"],
            ["File", d.FileName],
            ["SHA-256", d.Sha256],
            ["Rows", ReportFormat.Count(d.Rows)],
            ["Default rate (whole dataset)", rate],
            ["Default rate (test split)", ReportFormat.Percent(content.Metrics.ObservedDefaultRate, 2)],
            ["Split (train / validation / test)", $"{ReportFormat.Count(content.Config.TrainRows)} / {ReportFormat.Count(content.Config.ValidationRows)} / {ReportFormat.Count(content.Config.TestRows)} rows, stratified, seed {content.Config.TrainingParameters.Seed}"],
        ], [1, 3]));
    }

    private static void Features(ModelReportContent content, List<ReportBlock> blocks)
    {
        blocks.Add(new ReportHeading("3. Features"));
        blocks.Add(new ReportParagraph(
            "The 12 features in model order, the direction a lender expects each to move the PD, and the training range the " +
            "monotonicity sweep used (1st to 99th percentile of the training data)."));
        var rows = LoanFeatures.All.Select(f => (IReadOnlyList<string>)
        [
            (f.Index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            f.Label,
            f.Name,
            Direction(f.Direction),
            Range(content, f),
        ]).ToList();
        blocks.Add(new ReportTable(["#", "Feature", "Name", "Declared direction", "Training range"], rows, [0.4, 2.2, 2.2, 1.5, 2.2]));
    }

    private static void Training(ModelReportContent content, List<ReportBlock> blocks)
    {
        var c = content.Config;
        var p = c.TrainingParameters;
        blocks.Add(new ReportHeading("4. Training parameters"));
        blocks.Add(new ReportTable(["Parameter", "Value"],
        [
            ["Trainer", $"{p.Trainer} ({c.ModelType})"],
            ["Trees", ReportFormat.Count(p.Trees)],
            ["Leaves per tree", ReportFormat.Count(p.Leaves)],
            ["Learning rate", ReportFormat.Number(p.LearningRate)],
            ["Minimum rows per leaf", ReportFormat.Count(p.MinExamplesPerLeaf)],
            ["Row subsampling", ReportFormat.Number(p.Subsample)],
            ["Feature fraction", ReportFormat.Number(p.FeatureFraction)],
            ["Decision threshold (confusion matrix only)", ReportFormat.Number(p.Threshold)],
            ["Seed", p.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            ["Positive-class weight", ReportFormat.Number(Math.Round(c.PositiveWeight, 4))],
            ["Calibration", c.Calibration],
            ["ML.NET", c.MlNetVersion],
        ], [2, 3]));
    }

    private static void Validation(ModelReportContent content, List<ReportBlock> blocks)
    {
        var m = content.Metrics;
        blocks.Add(new ReportHeading("5. Validation pack"));
        blocks.Add(new ReportParagraph(
            $"Measured on the test split ({ReportFormat.Count(m.TestRows)} rows, {ReportFormat.Count(m.Positives)} defaults), which the model never saw in training or calibration."));
        blocks.Add(new ReportTable(["Metric", "Value", "Reading"],
        [
            ["ROC-AUC", ReportFormat.Metric(m.RocAuc), "ranking, 0.5 = chance"],
            ["PR-AUC", ReportFormat.Metric(m.PrAuc), $"chance {ReportFormat.Metric(m.ObservedDefaultRate)}"],
            ["KS", ReportFormat.Metric(m.Ks), "largest gap between the defaulters' and the others' PD distributions"],
            ["Gini", ReportFormat.Metric(m.Gini), "2 × AUC − 1"],
            ["Brier", ReportFormat.Metric(m.Brier), "lower is better"],
            ["Calibration error", ReportFormat.Metric(m.CalibrationError), $"mean PD {ReportFormat.Percent(m.MeanPredictedPd, 2)} vs observed {ReportFormat.Percent(m.ObservedDefaultRate, 2)}"],
            ["Oracle AUC", m.OracleAuc is { } oracle ? ReportFormat.Metric(oracle) : "not known", m.OracleAuc is null ? "the data carries no true PDs" : $"the best any model can reach on this data; gap {ReportFormat.Metric(m.OracleGap ?? 0)}"],
        ], [1.5, 1, 4]));
        blocks.Add(ReportCharts.Roc(m));
        blocks.Add(ReportCharts.PrecisionRecall(m));
        blocks.Add(ReportCharts.Calibration(m));
        blocks.Add(ReportCharts.Importance(m));
    }

    private static void Leakage(ModelReportContent content, List<ReportBlock> blocks)
    {
        var m = content.Metrics;
        blocks.Add(new ReportHeading("6. Leakage check"));
        blocks.Add(m.LeakageSuspects.Count == 0
            ? new ReportParagraph("No feature separates the classes on its own (every single-feature AUC is below 0.98): no sign of target leakage.")
            : new ReportParagraph(
                $"Suspected target leakage: {string.Join(", ", m.LeakageSuspects.Select(Label))} alone separate{(m.LeakageSuspects.Count == 1 ? "s" : string.Empty)} the classes " +
                "(single-feature AUC ≥ 0.98). The model's numbers are not to be trusted; the data probably derives these columns from the outcome.", Warning: true));
        blocks.Add(new ReportTable(["Feature", "AUC alone", "Direction", "Suspect"],
            [.. m.SingleFeatureAuc.OrderByDescending(f => f.Auc).Select(f => (IReadOnlyList<string>)
                [Label(f.Feature), f.Auc.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), f.Direction.Replace('_', ' '), f.SuspectedLeakage ? "yes" : "no"])],
            [2.5, 1, 1.5, 0.8]));
    }

    private static string Range(ModelReportContent content, FeatureSpec feature) =>
        feature.Direction == FeatureDirection.None
            ? "not swept (no direction)"
            : content.TrainingRange(feature.Name) is { } r ? $"{ReportFormat.Value(r.From)} to {ReportFormat.Value(r.To)}" : "not recorded";

    private static string Direction(FeatureDirection direction) => direction switch
    {
        FeatureDirection.RaisesPd => "higher raises PD",
        FeatureDirection.LowersPd => "higher lowers PD",
        _ => "none declared",
    };

    private static string Label(string feature) => LoanFeatures.Find(feature)?.Label ?? feature;
}

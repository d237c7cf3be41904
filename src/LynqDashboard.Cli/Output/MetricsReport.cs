using System.Globalization;
using LynqDashboard.Core.Evaluation;
using Spectre.Console;

namespace LynqDashboard.Cli.Output;

/// <summary>Prints the validation pack the way the original script printed its metrics, plus the credit-risk ones.</summary>
internal static class MetricsReport
{
    public static void Write(IAnsiConsole console, ValidationPack m)
    {
        console.WriteLine();
        console.MarkupLine($"[bold]Model performance[/] (test split: {m.TestRows:N0} rows, {m.Positives:N0} defaults, {m.ObservedDefaultRate:P2} default rate)");
        var table = new Table().Border(TableBorder.Simple).AddColumn("Metric").AddColumn(new TableColumn("Value").RightAligned()).AddColumn("Reads as");
        Row(table, "Accuracy", m.Accuracy, $"at threshold {m.Threshold:0.###}");
        Row(table, "Precision", m.Precision, "predicted defaults that did default");
        Row(table, "Recall", m.Recall, "defaults caught");
        Row(table, "F1", m.F1, string.Empty);
        Row(table, "ROC-AUC", m.RocAuc, "ranking quality, 0.5 = chance");
        Row(table, "Gini", m.Gini, "2 × AUC − 1");
        Row(table, "KS", m.Ks, "max gap between the classes' score CDFs");
        Row(table, "PR-AUC", m.PrAuc, $"chance = {m.ObservedDefaultRate:0.000}");
        Row(table, "Brier", m.Brier, "lower is better");
        Row(table, "Log loss", m.LogLoss, "lower is better");
        Row(table, "Calibration error", m.CalibrationError, $"mean PD {m.MeanPredictedPd:P2} vs observed {m.ObservedDefaultRate:P2}");
        if (m.OracleAuc is { } oracle)
        {
            Row(table, "Oracle AUC", oracle, "best any model can do on this data");
            Row(table, "Gap to oracle", m.OracleGap ?? 0, "oracle − model");
        }

        console.Write(table);

        var cm = m.ConfusionMatrix;
        console.MarkupLine($"[bold]Confusion matrix[/] at threshold {m.Threshold:0.###}");
        console.Write(new Table().Border(TableBorder.Simple)
            .AddColumn(string.Empty).AddColumn(new TableColumn("Predicted default").RightAligned()).AddColumn(new TableColumn("Predicted repaid").RightAligned())
            .AddRow("Defaulted", cm.TruePositives.ToString("N0", CultureInfo.InvariantCulture), cm.FalseNegatives.ToString("N0", CultureInfo.InvariantCulture))
            .AddRow("Repaid", cm.FalsePositives.ToString("N0", CultureInfo.InvariantCulture), cm.TrueNegatives.ToString("N0", CultureInfo.InvariantCulture)));

        console.MarkupLine("[bold]Calibration by predicted-PD decile[/]");
        var calibration = new Table().Border(TableBorder.Simple).AddColumn("Decile").AddColumn(new TableColumn("Mean PD").RightAligned())
            .AddColumn(new TableColumn("Observed").RightAligned()).AddColumn(new TableColumn("Rows").RightAligned());
        foreach (var bin in m.Calibration)
        {
            calibration.AddRow(bin.Bin.ToString(CultureInfo.InvariantCulture), bin.MeanPredicted.ToString("P2", CultureInfo.InvariantCulture),
                bin.ObservedRate.ToString("P2", CultureInfo.InvariantCulture), bin.Count.ToString("N0", CultureInfo.InvariantCulture));
        }

        console.Write(calibration);

        if (m.FeatureImportance.Count > 0)
        {
            console.MarkupLine("[bold]Feature importance[/] (ROC-AUC drop when the feature is shuffled)");
            var chart = new BarChart().Width(70);
            foreach (var f in m.FeatureImportance)
            {
                chart.AddItem(f.Feature, Math.Round(Math.Max(0, f.Importance), 4), Color.SteelBlue);
            }

            console.Write(chart);
        }

        foreach (var suspect in m.SingleFeatureAuc.Where(f => f.SuspectedLeakage))
        {
            console.MarkupLine($"[bold red]Leakage warning:[/] {suspect.Feature} alone separates the classes (AUC {suspect.Auc:0.0000}); it is probably derived from the outcome.");
        }
    }

    private static void Row(Table table, string name, double value, string meaning) =>
        table.AddRow(name, value.ToString("0.0000", CultureInfo.InvariantCulture), Markup.Escape(meaning));
}

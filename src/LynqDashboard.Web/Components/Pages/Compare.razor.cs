using System.Globalization;
using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Model;
using Microsoft.AspNetCore.Components;

namespace LynqDashboard.Web.Components.Pages;

/// <summary>Two ready versions side by side: metric deltas, parameter differences and both ROC curves.</summary>
public sealed partial class Compare : DashboardPage
{
    private VersionDetails? _a;
    private VersionDetails? _b;
    private bool _loaded;
    private List<XySeries> _roc = [];

    [SupplyParameterFromQuery] public int A { get; set; }

    [SupplyParameterFromQuery] public int B { get; set; }

    [Inject] private VersionDetailsLoader Loader { get; set; } = null!;

    protected override Task OnParametersSetAsync() => LoadAsync(Closing);

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        _a = await Loader.LoadAsync(A, cancellationToken);
        _b = await Loader.LoadAsync(B, cancellationToken);
        _loaded = true;
        _roc = [];
        foreach (var (label, details, color) in new[] { ($"v{A}", _a, ChartColors.Model), ($"v{B}", _b, ChartColors.Other) })
        {
            if (details?.Metrics is { } m)
            {
                _roc.Add(new XySeries(string.Create(CultureInfo.InvariantCulture, $"{label} (AUC {m.RocAuc:0.000})"), [.. m.RocCurve.Select(p => (p.X, p.Y))], color));
            }
        }

        _roc.Add(new XySeries("Chance", [(0, 0), (1, 1)], ChartColors.Reference, XyStyle.Reference));
    }

    private static IEnumerable<(string Name, double A, double B, bool HigherIsBetter)> Rows(ValidationPack a, ValidationPack b)
    {
        yield return ("ROC-AUC", a.RocAuc, b.RocAuc, true);
        yield return ("Gini", a.Gini, b.Gini, true);
        yield return ("KS", a.Ks, b.Ks, true);
        yield return ("PR-AUC", a.PrAuc, b.PrAuc, true);
        yield return ("F1", a.F1, b.F1, true);
        yield return ("Brier", a.Brier, b.Brier, false);
        yield return ("Log loss", a.LogLoss, b.LogLoss, false);
        yield return ("Calibration error", a.CalibrationError, b.CalibrationError, false);
    }

    private IEnumerable<(string Name, string A, string B)> ParameterDifferences()
    {
        var (pa, pb) = (_a!.Version.Parameters, _b!.Version.Parameters);
        foreach (var property in typeof(TrainingParameters).GetProperties())
        {
            var (x, y) = (Convert.ToString(property.GetValue(pa), CultureInfo.InvariantCulture), Convert.ToString(property.GetValue(pb), CultureInfo.InvariantCulture));
            if (x != y)
            {
                yield return (Words(property.Name), x ?? "–", y ?? "–");
            }
        }
    }

    // "MinExamplesPerLeaf" → "Min examples per leaf": the parameter as a person says it.
    private static string Words(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));
}

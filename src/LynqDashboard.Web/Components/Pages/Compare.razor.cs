using System.Globalization;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Scoring;
using Microsoft.AspNetCore.Components;

namespace LynqDashboard.Web.Components.Pages;

/// <summary>
/// Two ready versions side by side: metric deltas (ranking, and approval, bad rate and expected loss under the active
/// policy), parameter differences, both ROC curves, and one applicant scored by both with the differences per row.
/// </summary>
public sealed partial class Compare : DashboardPage
{
    private readonly ScoreForm _form = new();
    private VersionDetails? _a;
    private VersionDetails? _b;
    private bool _loaded;
    private List<XySeries> _roc = [];
    private ScoringModel? _modelA;
    private ScoringModel? _modelB;
    private string? _modelProblem;
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();
    private ApplicantComparison? _applicant;

    [SupplyParameterFromQuery] public int A { get; set; }

    [SupplyParameterFromQuery] public int B { get; set; }

    [Inject] private VersionDetailsLoader Loader { get; set; } = null!;

    [Inject] private ScoringModels Models { get; set; } = null!;

    [Inject] private CreditScorer Scorer { get; set; } = null!;

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

        if (_a?.Metrics is not null && _b?.Metrics is not null)
        {
            // A null model would answer from the rule-based fallback: two "versions" agreeing on a rule is no comparison.
            try
            {
                _modelA = await Models.GetAsync(A, cancellationToken);
                _modelB = await Models.GetAsync(B, cancellationToken);
                var missing = new[] { (A, _modelA), (B, _modelB) }.Where(m => m.Item2 is null).Select(m => $"v{m.Item1}").ToList();
                _modelProblem = missing.Count == 0 ? null : $"The model of {string.Join(" and ", missing)} could not be loaded, so the applicant is not scored.";
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or FormatException or Core.Storage.ObjectStoreException)
            {
                (_modelA, _modelB) = (null, null);
                _modelProblem = $"The models could not be read, so the applicant is not scored: {e.Message}";
            }

            Rescore();
        }
    }

    private Task ChangeAsync(FeatureSpec spec, double value)
    {
        _form.Set(spec, value);
        Rescore();
        return Task.CompletedTask;
    }

    private void Rescore()
    {
        _errors = _form.Validate();
        if (_errors.Count > 0 || _modelA is null || _modelB is null)
        {
            return;
        }

        var application = _form.ToApplication();
        _applicant = new ApplicantComparison(Scorer.Score(application, _modelA), Scorer.Score(application, _modelB));
    }

    private IEnumerable<MetricRow> Rows()
    {
        var (a, b) = (_a!.Metrics!, _b!.Metrics!);
        yield return MetricRow.Score("ROC-AUC", a.RocAuc, b.RocAuc, higherIsBetter: true);
        yield return MetricRow.Score("Gini", a.Gini, b.Gini, higherIsBetter: true);
        yield return MetricRow.Score("KS", a.Ks, b.Ks, higherIsBetter: true);
        yield return MetricRow.Score("PR-AUC", a.PrAuc, b.PrAuc, higherIsBetter: true);
        yield return MetricRow.Score("Brier", a.Brier, b.Brier, higherIsBetter: false);
        yield return MetricRow.Score("Log loss", a.LogLoss, b.LogLoss, higherIsBetter: false);
        yield return MetricRow.Score("Calibration error", a.CalibrationError, b.CalibrationError, higherIsBetter: false);
        if (_a.Policy is { } pa && _b.Policy is { } pb)
        {
            // More approvals is neither better nor worse by itself: it is what the bad rate is paid for.
            yield return MetricRow.Rate("Approval rate", pa.Outcome.ApprovalRate, pb.Outcome.ApprovalRate, higherIsBetter: null);
            yield return MetricRow.Rate("Bad rate among approved", pa.Outcome.BadRateAmongApproved, pb.Outcome.BadRateAmongApproved, higherIsBetter: false);
            yield return MetricRow.Rate("Expected loss (% of approved)", pa.Outcome.ExpectedLossRate, pb.Outcome.ExpectedLossRate, higherIsBetter: false);
            yield return MetricRow.Score("F1 at the policy's cutoff", pa.Confusion.F1, pb.Confusion.F1, higherIsBetter: true);
        }
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

    /// <summary>One metric of both versions; <see cref="Better"/> is null when B equals A or the direction is neutral.</summary>
    private sealed record MetricRow(string Name, double A, double B, bool? HigherIsBetter, Func<double, string> Format, Func<double, string> FormatDelta)
    {
        public bool? Better => B == A || HigherIsBetter is null ? null : (B > A) == HigherIsBetter;

        public static MetricRow Score(string name, double a, double b, bool higherIsBetter) => new(
            name, a, b, higherIsBetter, v => v.ToString("0.0000", CultureInfo.InvariantCulture), d => d.ToString("+0.0000;−0.0000;0", CultureInfo.InvariantCulture));

        public static MetricRow Rate(string name, double a, double b, bool? higherIsBetter) => new(
            name, a, b, higherIsBetter, v => DisplayFormat.Percent(v, 2), d => DisplayFormat.Points(d));
    }
}

using LynqDashboard.Core.Features;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Monitoring;
using LynqDashboard.Web.Scoring;
using Microsoft.AspNetCore.Components;

namespace LynqDashboard.Web.Components.Pages;

/// <summary>Scores one application as it is typed, with the serving model or a chosen version, beside a second one.</summary>
public sealed partial class Score : DashboardPage
{
    private static readonly (string Title, FeatureSpec[] Fields)[] Groups =
    [
        ("Wallet activity", [LoanFeatures.WalletAgeDays, LoanFeatures.TotalTransactions, LoanFeatures.TotalVolumeUsd, LoanFeatures.DefiInteractions]),
        ("Loan", [LoanFeatures.LoanAmount, LoanFeatures.CollateralValueUsd, LoanFeatures.TermMonths]),
        ("History", [LoanFeatures.PreviousLoans, LoanFeatures.SuccessfulRepayments, LoanFeatures.Defaults, LoanFeatures.ReputationScore]),
    ];

    private readonly ScoreForm _form = new();
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();
    private IReadOnlyList<ModelVersionRecord> _versions = [];
    private ScoringModel? _model;
    private ScoringModel? _compareModel;
    private int? _primary;
    private int? _secondary;
    private CreditScoreResult? _result;
    private CreditScoreResult? _comparison;
    private ApprovalChange? _suggestion;
    private double? _previousPd;

    [Inject] private ScoringModels Models { get; set; } = null!;

    [Inject] private CreditScorer Scorer { get; set; } = null!;

    [Inject] private ActiveModel Active { get; set; } = null!;

    [Inject] private DecisionRecorder Ledger { get; set; } = null!;

    // The registry number of the version that answers: the chosen one, or the serving one when none was chosen.
    private int? ModelNumber => _model is null ? null : _primary ?? Active.Current.Number;

    protected override async Task OnInitializedAsync()
    {
        await ReadAccessAsync();
        _versions = await Models.UsableAsync(Closing);
        await ChangeModelsAsync(null, null);
    }

    private async Task ChangeModelsAsync(int? primary, int? secondary)
    {
        (_primary, _secondary) = (primary, secondary);
        _model = await Models.GetAsync(primary, Closing);
        _compareModel = secondary is null ? null : await Models.GetAsync(secondary, Closing);
        _previousPd = null;
        Rescore();
    }

    private Task ChangeAsync(FeatureSpec spec, double value)
    {
        _form.Set(spec, value);
        _previousPd = _result?.DefaultProbability;
        Rescore();
        return Task.CompletedTask;
    }

    // Only an approved production version serves (from the registry or S3; the fallback has its own label), so a chosen
    // version is out of production exactly when it is not the serving one.
    private bool NotInProduction(int? chosen) => chosen is { } number && number != Active.Current.Number;

    private void Rescore()
    {
        _errors = _form.Validate();
        if (_errors.Count > 0)
        {
            return;
        }

        var application = _form.ToApplication();
        _result = Scorer.Score(application, _model);

        // Each answer shown is a decision a person saw, under an id of its own (there is no HTTP request to name it).
        Ledger.Record(Guid.NewGuid().ToString("N"), DecisionChannels.ScorePage, Access.Name, application, _result, _model, ModelNumber);
        _comparison = _secondary is null ? null : Scorer.Score(application, _compareModel);
        _suggestion = _model is not null && _result.RecommendedAction != RecommendedAction.APPROVE ? ApprovalSearch.SmallestChange(application, _model, Scorer) : null;
    }
}

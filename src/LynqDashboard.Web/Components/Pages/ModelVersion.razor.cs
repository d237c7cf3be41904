using System.Globalization;
using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LynqDashboard.Web.Components.Pages;

/// <summary>One version: live progress while it trains; once Ready, its test rows under the active policy, metrics, charts, threshold and lineage.</summary>
public sealed partial class ModelVersion : DashboardPage
{
    private VersionDetails? _details;
    private bool _missing;
    private string _notes = string.Empty;
    private string _tags = string.Empty;
    private JobProgress? _completedHere;
    private Challengers.ChallengerState _challengers = new(null, null);

    [Parameter] public int Number { get; set; }

    [Inject] private VersionDetailsLoader Loader { get; set; } = null!;

    [Inject] private DashboardActions Actions { get; set; } = null!;

    [Inject] private Core.Promotion.PromotionTarget Target { get; set; } = null!;

    [Inject] private Challengers.ChallengerActions Challengers { get; set; } = null!;

    [Inject] private LynqDashboard.Web.Monitoring.DecisionRecorder Ledger { get; set; } = null!;

    protected override async Task OnParametersSetAsync()
    {
        await ReadAccessAsync();
        await LoadAsync(Closing);
        var id = _details?.Version.Id;
        FollowRuns(u => u.Id == id);
    }

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        _details = await Loader.LoadAsync(Number, cancellationToken);
        _missing = _details is null;
        _challengers = await Challengers.GetAsync(cancellationToken);
        if (_details is not null)
        {
            (_notes, _tags) = (_details.Version.Notes, _details.Version.Tags);
        }
    }

    protected override async Task OnRunsChangedAsync(bool statusChanged, CancellationToken cancellationToken)
    {
        if (!statusChanged)
        {
            return;
        }

        var wasActive = _details?.Version.Status.IsActive() == true;
        await LoadAsync(cancellationToken);

        // Watched to the end: the bar stays, full, above the results, instead of vanishing.
        if (wasActive && _details?.Version is { Status: VersionStatus.Ready } ready)
        {
            _completedHere = new JobProgress { Stage = "completed", Fraction = 1, Done = ready.Parameters.Trees, Total = ready.Parameters.Trees, UpdatedAt = ready.FinishedAt };
        }
    }

    private Task StartShadowAsync() => RunActionAsync(token => Challengers.StartShadowAsync(Number, token),
        $"v{Number} is in shadow: every request is also scored by it; the answers stay production's and its own go to the ledger.");

    private Task StopShadowAsync() => RunActionAsync(Challengers.StopShadowAsync, $"v{Number} no longer scores in the shadow.");

    private Task StartSplitAsync(double? percent) => RunActionAsync(token => Challengers.StartSplitAsync(Number, percent, token),
        s => $"v{Number} now answers {s.Percent.ToString("0.##", CultureInfo.InvariantCulture)} % of wallets; production the rest.");

    private Task StopSplitAsync() => RunActionAsync(Challengers.StopSplitAsync, "The split is over: production answers every wallet again.");

    private Task CancelAsync() => RunActionAsync(_ => Actions.CancelVersionAsync(_details!.Version.Id), "Cancelling…");

    private Task RetryAsync() => RunActionAsync(_ => Actions.RetryVersionAsync(_details!.Version.Id), "Queued again.");

    private async Task DeleteAsync()
    {
        if (await ConfirmAsync("Delete this version?", $"v{Number} and its files will be removed for good.", "Delete", "Keep it"))
        {
            await RunActionAsync(_ => Actions.DeleteVersionAsync(_details!.Version.Id), $"v{Number} deleted.");
            NavigateAway("/models");
        }
    }

    private Task SaveNotesAsync() => RunActionAsync(_ => Actions.AnnotateAsync(_details!.Version.Id, _notes, _tags.Split(',')), "Notes saved.");

    // Cutoff-free numbers only: precision, recall, F1 and accuracy depend on a cutoff, so they are shown at the
    // policy's (PolicyCards), not at the training threshold of 0.5 a calibrated PD almost never reaches.
    private static IEnumerable<(string Title, string Key, string Value, string? Hint)> MetricCards(ValidationPack m)
    {
        string F(double value, string format = "0.0000") => value.ToString(format, CultureInfo.InvariantCulture);
        yield return ("ROC-AUC", "roc_auc", F(m.RocAuc), "ranking, 0.5 = chance");
        yield return ("Gini", "gini", F(m.Gini), null);
        yield return ("KS", "ks", F(m.Ks), null);
        yield return ("PR-AUC", "pr_auc", F(m.PrAuc), $"chance {F(m.ObservedDefaultRate, "0.000")}");
        yield return ("Brier", "brier", F(m.Brier), "lower is better");
        yield return ("Calibration error", "calibration_error", F(m.CalibrationError), $"mean PD {DisplayFormat.Percent(m.MeanPredictedPd, 2)} vs observed {DisplayFormat.Percent(m.ObservedDefaultRate, 2)}");
        if (m.OracleAuc is { } oracle)
        {
            yield return ("Gap to oracle AUC", "oracle_gap", F(m.OracleGap ?? 0), $"oracle {F(oracle)}");
        }
    }
}

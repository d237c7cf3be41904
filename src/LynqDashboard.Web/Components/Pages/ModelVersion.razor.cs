using LynqDashboard.Core;
using System.Globalization;
using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Web.Live;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LynqDashboard.Web.Components.Pages;

/// <summary>One version: live progress while it trains; metrics, charts, threshold and lineage once Ready.</summary>
public sealed partial class ModelVersion
{
    private VersionDetails? _details;
    private LiveRuns? _live;
    private bool _missing;
    private string _notes = string.Empty;
    private string _tags = string.Empty;
    private Access _access = new(UserAccess.Anonymous, null);
    private JobProgress? _completedHere;

    [Parameter] public int Number { get; set; }

    [Inject] private VersionDetailsLoader Loader { get; set; } = null!;

    [Inject] private DashboardActions Actions { get; set; } = null!;

    [Inject] private UserAccess UserAccess { get; set; } = null!;

    [Inject] private RunUpdateHub Hub { get; set; } = null!;

    [Inject] private TimeProvider Clock { get; set; } = null!;

    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    [Inject] private IDialogService Dialogs { get; set; } = null!;

    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [Inject] private Core.Promotion.PromotionTarget Target { get; set; } = null!;

    protected override async Task OnParametersSetAsync()
    {
        _access = await UserAccess.GetAsync();
        _live?.Dispose();
        await LoadAsync();
        var id = _details?.Version.Id;
        _live = new LiveRuns(Hub, Clock, u => u.Id == id, () => InvokeAsync(RedrawAsync));
    }

    private async Task LoadAsync()
    {
        _details = await Loader.LoadAsync(Number, CancellationToken.None);
        _missing = _details is null;
        if (_details is not null)
        {
            (_notes, _tags) = (_details.Version.Notes, _details.Version.Tags);
        }
    }

    private async Task RedrawAsync()
    {
        if (_live!.ReloadNeeded())
        {
            var wasActive = _details?.Version.Status.IsActive() == true;
            await LoadAsync();

            // Watched to the end: the bar stays, full, above the results, instead of vanishing.
            if (wasActive && _details?.Version is { Status: VersionStatus.Ready } ready)
            {
                _completedHere = new JobProgress { Stage = "completed", Fraction = 1, Done = ready.Parameters.Trees, Total = ready.Parameters.Trees, UpdatedAt = ready.FinishedAt };
            }
        }

        StateHasChanged();
    }

    private Task CancelAsync() => ActAsync(() => Actions.CancelVersionAsync(_details!.Version.Id), "Cancelling…");

    private Task RetryAsync() => ActAsync(() => Actions.RetryVersionAsync(_details!.Version.Id), "Queued again.");

    private async Task DeleteAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete this version?", $"v{Number} and its files will be removed for good.", yesText: "Delete", cancelText: "Keep it");
        if (confirmed == true)
        {
            await ActAsync(() => Actions.DeleteVersionAsync(_details!.Version.Id), $"v{Number} deleted.");
            Navigation.NavigateTo("/models");
        }
    }

    private Task SaveNotesAsync() => ActAsync(() => Actions.AnnotateAsync(_details!.Version.Id, _notes, _tags.Split(',')), "Notes saved.");

    private async Task ActAsync(Func<Task> action, string done)
    {
        try
        {
            await action();
            Snackbar.Add(done, Severity.Info);
            await LoadAsync();
        }
        catch (LynqException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }
    }

    private static IEnumerable<(string Title, string Key, string Value, string? Hint)> MetricCards(ValidationPack m)
    {
        string F(double value, string format = "0.0000") => value.ToString(format, CultureInfo.InvariantCulture);
        yield return ("ROC-AUC", "roc_auc", F(m.RocAuc), "ranking, 0.5 = chance");
        yield return ("Gini", "gini", F(m.Gini), null);
        yield return ("KS", "ks", F(m.Ks), null);
        yield return ("PR-AUC", "pr_auc", F(m.PrAuc), $"chance {F(m.ObservedDefaultRate, "0.000")}");
        yield return ("F1", "f1_card", F(m.F1), $"at {F(m.Threshold, "0.00")}");
        yield return ("Precision", "precision_card", F(m.Precision), null);
        yield return ("Recall", "recall_card", F(m.Recall), null);
        yield return ("Accuracy", "accuracy", F(m.Accuracy), null);
        yield return ("Brier", "brier", F(m.Brier), "lower is better");
        yield return ("Calibration error", "calibration_error", F(m.CalibrationError), $"mean PD {DisplayFormat.Percent(m.MeanPredictedPd, 2)} vs observed {DisplayFormat.Percent(m.ObservedDefaultRate, 2)}");
        if (m.OracleAuc is { } oracle)
        {
            yield return ("Gap to oracle AUC", "oracle_gap", F(m.OracleGap ?? 0), $"oracle {F(oracle)}");
        }
    }

    public void Dispose() => _live?.Dispose();
}

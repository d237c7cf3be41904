using System.Globalization;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Web.Configuration;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Web.Components.Pages;

/// <summary>
/// Production (in the registry, and in the bucket when one is configured), asking for a promotion with its review,
/// the requests a second Approver decides, roll back, the live promotion, history and audit log.
/// </summary>
public sealed partial class Promotions : DashboardPage
{
    private const string SettingKey = $"{PromotionOptions.Section}:{nameof(PromotionOptions.Bucket)}";
    private readonly HashSet<Guid> _expanded = [];
    private PromotionsSnapshot? _snapshot;
    private int? _selected;
    private string _reason = string.Empty;
    private string _monotonicityReason = string.Empty;
    private string _comment = string.Empty;
    private PromotionReview? _review;

    /// <summary>Preselects a version (from its page's Promote button).</summary>
    [SupplyParameterFromQuery(Name = "version")]
    public int? VersionFromQuery { get; set; }

    [Inject] private PromotionsLoader Loader { get; set; } = null!;

    [Inject] private PromotionTarget Target { get; set; } = null!;

    [Inject] private DashboardActions Actions { get; set; } = null!;

    [Inject] private PromotionGates Gates { get; set; } = null!;

    [Inject] private PromotionRequests Requests { get; set; } = null!;

    private FourEyesRule Rule => Requests.Rule;

    private ModelVersionRecord? Selected => _snapshot?.Candidates.FirstOrDefault(v => v.Number == _selected);

    private string GatesText => string.Create(CultureInfo.InvariantCulture,
        $"ROC-AUC ≥ {Gates.MinRocAuc:0.###}, calibration error ≤ {Gates.MaxCalibrationError:0.###}{(Gates.MaxBrier is { } b ? $", Brier ≤ {b:0.###}" : string.Empty)}");

    protected override async Task OnInitializedAsync()
    {
        FollowRuns(u => u.Kind == RunKind.Promotion);
        await ReadAccessAsync();
        await LoadAsync(Closing);
        await SelectAsync(VersionFromQuery is { } n && _snapshot!.Candidates.Any(v => v.Number == n && v.Status != VersionStatus.Production) ? n : DefaultSelection());
    }

    protected override async Task LoadAsync(CancellationToken cancellationToken) => _snapshot = await Loader.LoadAsync(cancellationToken);

    protected override async Task OnRunsChangedAsync(bool statusChanged, CancellationToken cancellationToken)
    {
        if (statusChanged)
        {
            await LoadAsync(cancellationToken);

            // The version just promoted now serves: offer the next candidate instead of it.
            if (Selected is null or { Status: VersionStatus.Production })
            {
                await SelectAsync(DefaultSelection());
            }
        }
        else if (_snapshot?.Active is { } active && await Loader.ReloadAsync(active.Id, cancellationToken) is { } fresh)
        {
            // Checks arrive one by one on the record; the bar itself comes live from the hub.
            _snapshot = _snapshot with { History = [.. _snapshot.History.Select(p => p.Id == fresh.Id ? fresh : p)] };
        }
    }

    // The newest version not serving: Ready first, then an archived one (after a rollback, nothing may be Ready).
    private int? DefaultSelection() =>
        (_snapshot!.Candidates.FirstOrDefault(v => v.Status == VersionStatus.Ready && !_snapshot.Requests.Any(r => r.VersionId == v.Id && r.Status == PromotionRequestStatus.Pending))
            ?? _snapshot.Candidates.FirstOrDefault(v => v.Status == VersionStatus.Ready)
            ?? _snapshot.Candidates.FirstOrDefault(v => v.Status == VersionStatus.Archived))?.Number;

    // The review is what the request will record: both models scored on the same rows, so it takes a moment.
    private async Task SelectAsync(int? number)
    {
        (_selected, _review) = (number, null);
        if (number is { } n && Access.Has(LynqRoles.Trainer))
        {
            StateHasChanged();
            _review = await RunActionAsync(_ => Actions.PreviewPromotionAsync(n));
        }
    }

    private async Task RequestAsync()
    {
        var number = _selected!.Value;
        if (await ConfirmAsync($"Ask for v{number} to go to production?",
            $"The review and your comment are kept with the request. A second person with the Approver role then approves it, and only then {(Target.IsEnabled ? $"is v{number} uploaded to s3://{Target.Bucket} and served" : $"does the scoring API serve v{number}")}.",
            "Ask for approval", "Not now"))
        {
            await ActAsync(() => Actions.RequestPromotionAsync(number, _comment, _reason, _monotonicityReason), $"Promotion of v{number} asked for; a second Approver decides.");
        }
    }

    private async Task ApproveAsync((Guid Id, string? Comment) decision)
    {
        var request = _snapshot!.Requests.First(r => r.Id == decision.Id);
        if (await ConfirmAsync($"Approve v{request.VersionNumber} for production?",
            $"Its promotion runs at once{(Target.IsEnabled ? $" (s3://{Target.Bucket})" : " (the registry; MODEL_SOURCE=local serves it)")}; your name and comment go to the audit log.",
            "Approve and promote", "Not now"))
        {
            await ActAsync(() => Actions.ApprovePromotionAsync(decision.Id, decision.Comment), $"v{request.VersionNumber} approved; its promotion is queued.");
        }
    }

    private Task RejectAsync((Guid Id, string? Comment) decision) =>
        ActAsync(() => Actions.RejectPromotionAsync(decision.Id, decision.Comment), "Request rejected.");

    private Task WithdrawAsync((Guid Id, string? Comment) decision) =>
        ActAsync(() => Actions.WithdrawPromotionAsync(decision.Id, decision.Comment), "Request withdrawn.");

    private async Task RollbackAsync()
    {
        var to = _snapshot!.RollbackTo!.VersionNumber;
        if (await ConfirmAsync($"Roll production back to v{to}?",
            $"Its objects are read back and verified first; then {Target.PointerKey} points to v{to} and scoring nodes switch within their refresh interval.",
            "Roll back", "Keep production"))
        {
            await ActAsync(Actions.RollbackAsync, $"Rollback to v{to} queued.");
        }
    }

    private Task RetryAsync(Guid id) => ActAsync(() => Actions.RetryPromotionAsync(id), "Queued again.");

    // Reasons and a comment belong to the request just made, not the next one; the page reloads to show it.
    private async Task ActAsync(Func<Task> action, string done)
    {
        if (await RunActionAsync(async _ =>
            {
                await action();
                (_reason, _monotonicityReason, _comment) = (string.Empty, string.Empty, string.Empty);
            }, done))
        {
            await LoadAsync(Closing);
        }
    }

    private void Toggle(Guid id)
    {
        if (!_expanded.Remove(id))
        {
            _expanded.Add(id);
        }
    }

    private static string Describe(ModelVersionRecord v) => string.Create(CultureInfo.InvariantCulture,
        $"{v.Label} · {v.Status} · ROC-AUC {v.RocAuc:0.0000}{(string.IsNullOrEmpty(v.LeakageSuspects) ? string.Empty : " · leakage flagged")}");

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:N1} MiB"),
        >= 1 << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:N1} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} B"),
    };
}

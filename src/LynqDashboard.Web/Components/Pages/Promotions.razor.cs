using System.Globalization;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Web.Configuration;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Web.Components.Pages;

/// <summary>Production per bucket with its manifest, promote and roll back, the live promotion, history and audit log.</summary>
public sealed partial class Promotions : DashboardPage
{
    private const string SettingKey = $"{PromotionOptions.Section}:{nameof(PromotionOptions.Bucket)}";
    private readonly HashSet<Guid> _expanded = [];
    private PromotionsSnapshot? _snapshot;
    private int? _selected;
    private string _reason = string.Empty;

    /// <summary>Preselects a version (from its page's Promote button).</summary>
    [SupplyParameterFromQuery(Name = "version")]
    public int? VersionFromQuery { get; set; }

    [Inject] private PromotionsLoader Loader { get; set; } = null!;

    [Inject] private PromotionTarget Target { get; set; } = null!;

    [Inject] private DashboardActions Actions { get; set; } = null!;

    [Inject] private PromotionGates Gates { get; set; } = null!;

    private ModelVersionRecord? Selected => _snapshot?.Candidates.FirstOrDefault(v => v.Number == _selected);

    private string GatesText => string.Create(CultureInfo.InvariantCulture,
        $"ROC-AUC ≥ {Gates.MinRocAuc:0.###}, calibration error ≤ {Gates.MaxCalibrationError:0.###}{(Gates.MaxBrier is { } b ? $", Brier ≤ {b:0.###}" : string.Empty)}");

    protected override async Task OnInitializedAsync()
    {
        FollowRuns(u => u.Kind == RunKind.Promotion);
        await ReadAccessAsync();
        await LoadAsync(Closing);
        _selected = VersionFromQuery is { } n && _snapshot!.Candidates.Any(v => v.Number == n) ? n : DefaultSelection();
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
                _selected = DefaultSelection();
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
        (_snapshot!.Candidates.FirstOrDefault(v => v.Status == VersionStatus.Ready) ?? _snapshot.Candidates.FirstOrDefault(v => v.Status == VersionStatus.Archived))?.Number;

    private async Task PromoteAsync()
    {
        var number = _selected!.Value;
        if (await ConfirmAsync($"Promote v{number} to production?",
            $"v{number} will be uploaded to s3://{Target.Bucket} and, once verified, every scoring node following {Target.PointerKey} will serve it.",
            "Promote", "Not now"))
        {
            await ActAsync(() => Actions.PromoteAsync(number, _reason), $"Promotion of v{number} queued.");
        }
    }

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

    // A reason given for a flagged version belongs to the promotion just asked for, not the next one.
    private Task ActAsync(Func<Task> action, string done) => RunActionAsync(async _ =>
    {
        await action();
        _reason = string.Empty;
    }, done);

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

using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using Microsoft.AspNetCore.Components;

namespace LynqDashboard.Web.Components.Pages;

/// <summary>Counts, the runs under way with their live progress, the best version and the latest ones.</summary>
public sealed partial class Overview : DashboardPage
{
    private IReadOnlyList<ModelVersionRecord>? _recent;
    private IReadOnlyList<ModelVersionRecord> _active = [];
    private ModelVersionRecord? _best;
    private int _datasets;
    private int _versions;

    [Inject] private IModelRegistry Registry { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        FollowRuns(u => u.Kind == RunKind.Version);
        await LoadAsync(Closing);
    }

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var recent = await Registry.QueryVersionsAsync(new VersionQuery(Take: 8), cancellationToken);
        var active = (await Registry.ListActiveRunsAsync(cancellationToken)).Versions;
        // A version flagged for target leakage scores a perfect AUC by cheating: it never counts as the best.
        _best = (await Registry.QueryVersionsAsync(new VersionQuery(SortBy: "roc_auc", Take: 50), cancellationToken)).Items
            .FirstOrDefault(v => v.RocAuc is not null && string.IsNullOrEmpty(v.LeakageSuspects));
        _datasets = (await Registry.ListDatasetsAsync(cancellationToken)).Count;
        (_recent, _versions, _active) = (recent.Items, recent.TotalCount, [.. active.OrderBy(v => v.Status.State() != RunState.Running).ThenByDescending(v => v.Number)]);
    }
}

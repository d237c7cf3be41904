using LynqDashboard.Core.Registry;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LynqDashboard.Web.Components.Pages;

/// <summary>Every version in a searchable, sortable grid; pick two to compare.</summary>
public sealed partial class Models : DashboardPage
{
    private static readonly Dictionary<string, string> SortColumns = new()
    {
        ["Number"] = "number", ["Status"] = "status", ["RocAuc"] = "roc_auc", ["Ks"] = "ks",
        ["Brier"] = "brier", ["CalibrationError"] = "calibration_error", ["CreatedAt"] = "created_at",
    };

    private MudDataGrid<ModelVersionRecord>? _grid;
    private HashSet<ModelVersionRecord> _selected = [];
    private string? _search;
    private VersionStatus? _status;

    [Inject] private IModelRegistry Registry { get; set; } = null!;

    // The grid asks for each page of rows itself, with a token of its own.
    private async Task<GridData<ModelVersionRecord>> LoadPageAsync(GridState<ModelVersionRecord> state, CancellationToken cancellationToken)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        var query = new VersionQuery(_search, _status, sort is null ? "number" : SortColumns.GetValueOrDefault(sort.SortBy, "number"),
            sort?.Descending ?? true, state.Page * state.PageSize, state.PageSize);
        var page = await Registry.QueryVersionsAsync(query, cancellationToken);
        return new GridData<ModelVersionRecord> { Items = page.Items, TotalItems = page.TotalCount };
    }

    private Task SearchAsync(string? _) => _grid?.ReloadServerData() ?? Task.CompletedTask;

    private void Compare()
    {
        var pair = _selected.OrderBy(v => v.Number).ToList();
        NavigateAway($"/models/compare?a={pair[0].Number}&b={pair[1].Number}");
    }
}

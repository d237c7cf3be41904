using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Security;
using Microsoft.AspNetCore.Components;

namespace LynqDashboard.Web.Components.Pages;

/// <summary>Train a model on a dataset, and every training with its live progress or result.</summary>
public sealed partial class TrainingRuns : DashboardPage
{
    private readonly TrainForm _form = new();
    private IReadOnlyList<DatasetRecord> _datasets = [];
    private IReadOnlyList<ModelVersionRecord>? _runs;

    /// <summary>Preselects a dataset (from its Train button on the Datasets page).</summary>
    [SupplyParameterFromQuery(Name = "dataset")]
    public Guid? DatasetFromQuery { get; set; }

    [Inject] private IModelRegistry Registry { get; set; } = null!;

    [Inject] private DashboardActions Commands { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        await ReadAccessAsync();

        // Datasets too: the form lists the ones still generating, and their status changes.
        FollowRuns(_ => true);
        await LoadAsync(Closing);
        _form.DatasetId = DatasetFromQuery ?? _datasets.FirstOrDefault(d => d.Status == DatasetStatus.Ready)?.Id;
    }

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        _datasets = [.. (await Registry.ListDatasetsAsync(cancellationToken)).Where(d => d.Status.CanBeTrainedOn())];
        _runs = (await Registry.QueryVersionsAsync(new VersionQuery(Take: 50), cancellationToken)).Items;
    }

    private Task TrainAsync() => RunActionAsync(_ => Commands.TrainAsync(_form.DatasetId!.Value, _form.ToParameters()), version => $"{version.Label} queued.");

    private Task CancelAsync(Guid id) => RunActionAsync(_ => Commands.CancelVersionAsync(id));

    private Task RetryAsync(Guid id) => RunActionAsync(_ => Commands.RetryVersionAsync(id));
}

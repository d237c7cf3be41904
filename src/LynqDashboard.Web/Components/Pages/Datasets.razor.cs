using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Configuration;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Components.Pages;

/// <summary>Generate LYNQ data (or generate and train in one step), and every dataset with its live progress.</summary>
public sealed partial class Datasets : DashboardPage
{
    private readonly GenerateForm _form = new();
    private IReadOnlyList<DatasetRecord>? _datasets;

    [Inject] private IModelRegistry Registry { get; set; } = null!;

    [Inject] private DashboardActions Commands { get; set; } = null!;

    [Inject] private IOptions<LynqOptions> Options { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        await ReadAccessAsync();
        FollowRuns(u => u.Kind == RunKind.Dataset);
        await LoadAsync(Closing);
    }

    protected override async Task LoadAsync(CancellationToken cancellationToken) => _datasets = await Registry.ListDatasetsAsync(cancellationToken);

    private Task GenerateAsync() => RunActionAsync(_ => Commands.GenerateAsync(_form.ToParameters()), $"Generating {DisplayFormat.Count(_form.Rows)} rows.");

    private Task GenerateAndTrainAsync() => RunActionAsync(async _ =>
    {
        var (_, version) = await Commands.GenerateAndTrainAsync(_form.ToParameters(), new TrainingParameters());
        NavigateAway($"/models/{version.Number}");
    });

    private Task CancelAsync(Guid id) => RunActionAsync(_ => Commands.CancelDatasetAsync(id));

    private Task RetryAsync(Guid id) => RunActionAsync(_ => Commands.RetryDatasetAsync(id));
}

using System.Reflection;
using Bunit;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Components;
using LynqDashboard.Web.Components.Controls;
using LynqDashboard.Web.Components.Layout;
using LynqDashboard.Web.Components.Pages;
using MonitoringPage = LynqDashboard.Web.Components.Pages.Monitoring;
using LynqDashboard.Web.Components.Pages.Admin;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>
/// Every component that shows live data lets go of it when the person leaves: no subscriber is left behind on the
/// job hub, the serving model or the viewer's clock, and the token its loads got is cancelled.
/// </summary>
public sealed class LiveDisposalTests : ComponentTest
{
    /// <summary>What a component listens to while it is open.</summary>
    [Flags]
    public enum Follows
    {
        Nothing = 0,
        Runs = 1,
        ServingModel = 2,
        ViewerZone = 4,
        Simulation = 8,
        MonitoringAlerts = 16,
    }

    // Every LiveComponent and what it follows while open, over the records Seed adds (a running version, a ready
    // dataset: their rows show LocalTime). A component missing here fails the first test.
    private static readonly Dictionary<Type, Follows> Listed = new()
    {
        [typeof(Overview)] = Follows.Runs | Follows.ServingModel | Follows.ViewerZone,
        [typeof(Datasets)] = Follows.Runs | Follows.ViewerZone,
        [typeof(TrainingRuns)] = Follows.Runs | Follows.ViewerZone,
        [typeof(Models)] = Follows.ViewerZone,
        [typeof(ModelVersion)] = Follows.Runs | Follows.ViewerZone,
        [typeof(Compare)] = Follows.Nothing,
        [typeof(Score)] = Follows.ServingModel | Follows.ViewerZone, // the fallback banner says since when, in the viewer's zone
        [typeof(Promotions)] = Follows.Runs | Follows.ServingModel | Follows.ViewerZone,
        [typeof(Policy)] = Follows.Nothing, // no policy version stored here, so no saved-at times
        [typeof(Users)] = Follows.Nothing,
        [typeof(ApiKeys)] = Follows.Nothing,
        [typeof(ServingModelBanner)] = Follows.ServingModel | Follows.ViewerZone,
        [typeof(LocalTime)] = Follows.ViewerZone,
        [typeof(RunNoticeFeed)] = Follows.Runs,
        [typeof(SimulatorPanel)] = Follows.Simulation,
        [typeof(MonitoringPage)] = Follows.ViewerZone | Follows.Simulation, // the schedule's next run; an Admin sees the simulator
        [typeof(Decisions)] = Follows.Nothing, // no decision recorded here, so no times
        [typeof(Schedules)] = Follows.Nothing, // no schedule stored here, so no times
        [typeof(MonitoringAlertBanner)] = Follows.MonitoringAlerts,
    };

    public static TheoryData<Type> LiveComponents => [.. LiveComponentTypes()];

    [Fact]
    public void EveryLiveComponent_IsListedWithWhatItFollows()
    {
        Assert.Equal(LiveComponentTypes().Select(t => t.Name).Order(), Listed.Keys.Select(t => t.Name).Order());

        // Every page is one: a page on ComponentBase would escape both the shared actions and this test.
        var pages = typeof(DashboardPage).Assembly.GetTypes().Where(t => t.GetCustomAttribute<RouteAttribute>() is not null && t.Namespace!.Contains(".Pages", StringComparison.Ordinal));
        Assert.All(pages, page => Assert.True(page.IsSubclassOf(typeof(DashboardPage)), $"{page.Name} does not derive from DashboardPage"));
    }

    [Theory]
    [MemberData(nameof(LiveComponents))]
    public async Task Disposed_LeavesNoSubscriberAndCancelsItsLoads(Type component)
    {
        await SeedAsync();
        var cut = Render(builder =>
        {
            builder.OpenComponent(0, component);
            if (component == typeof(ModelVersion))
            {
                builder.AddAttribute(1, nameof(ModelVersion.Number), 1);
            }
            else if (component == typeof(LocalTime))
            {
                builder.AddAttribute(1, nameof(LocalTime.At), (DateTimeOffset?)DateTimeOffset.UtcNow);
            }

            builder.CloseComponent();
        });
        cut.WaitForAssertion(() => Assert.Equal(Listed[component], FollowedNow()));
        var rendered = cut.FindComponents<LiveComponent>().Select(c => c.Instance).ToList();
        Assert.Contains(rendered, c => c.GetType() == component);
        Assert.All(rendered, c => Assert.False(c.Closing.IsCancellationRequested));

        await DisposeComponentsAsync();

        Assert.Equal(Follows.Nothing, FollowedNow());
        Assert.All(rendered, c => Assert.True(c.Closing.IsCancellationRequested, $"{c.GetType().Name} was left with its loads running"));
    }

    [Theory]
    [InlineData(Core.ProblemKind.Invalid, MudBlazor.Severity.Warning)]
    [InlineData(Core.ProblemKind.Conflict, MudBlazor.Severity.Warning)]
    [InlineData(Core.ProblemKind.NotFound, MudBlazor.Severity.Warning)]
    [InlineData(Core.ProblemKind.Forbidden, MudBlazor.Severity.Error)]
    [InlineData(Core.ProblemKind.Unavailable, MudBlazor.Severity.Error)]
    public void Problem_IsAWarningWhenThePersonCanFixItHere_AnErrorWhenSomeoneElseMust(Core.ProblemKind kind, MudBlazor.Severity severity) =>
        Assert.Equal(severity, DashboardPage.SeverityOf(kind));

    [Fact]
    public async Task ARefusedAction_ShowsItsMessageAsAnError_AndChangesNothing()
    {
        SignInAs(Core.Access.LynqRoles.Trainer);
        await Registry.AddVersionAsync(new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), Status = VersionStatus.Failed, Error = "boom" });
        var cut = Render<ModelVersion>(p => p.Add(c => c.Number, 1));
        var retry = cut.WaitForElement("[data-testid=retry]");

        SignInAs(Core.Access.LynqRoles.Viewer);
        await cut.InvokeAsync(() => retry.Click());

        var snackbars = Services.GetRequiredService<MudBlazor.ISnackbar>();
        cut.WaitForAssertion(() => Assert.Contains(snackbars.ShownSnackbars, s => s.Message!.Contains("may not retry a training", StringComparison.Ordinal) && s.Severity == MudBlazor.Severity.Error));
        Assert.Equal(VersionStatus.Failed, Registry.Versions.Single().Status);
    }

    // Razor compiles Pages/_Imports.razor into a class too, with the folder's @inherits: it is never rendered.
    private static IEnumerable<Type> LiveComponentTypes() =>
        typeof(LiveComponent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(LiveComponent)) && !t.IsAbstract && t.Name != "_Imports").OrderBy(t => t.Name);

    private async Task SeedAsync()
    {
        var dataset = await Registry.AddDatasetAsync(new DatasetRecord { Name = "50,000 rows · seed 7", Status = DatasetStatus.Ready, RowCount = 50_000, ObservedDefaultRate = 0.08 });
        await Registry.AddVersionAsync(new ModelVersionRecord { DatasetId = dataset.Id, Parameters = new TrainingParameters(), Status = VersionStatus.Running, StartedAt = DateTimeOffset.UtcNow });
    }

    private Follows FollowedNow() =>
        (Hub.SubscriberCount > 0 ? Follows.Runs : Follows.Nothing)
        | (HasHandlers(Active, nameof(ActiveModel.Changed)) ? Follows.ServingModel : Follows.Nothing)
        | (HasHandlers(Services.GetRequiredService<ViewerClock>(), nameof(ViewerClock.Changed)) ? Follows.ViewerZone : Follows.Nothing)
        | (HasHandlers(Services.GetRequiredService<Web.Monitoring.TrafficSimulation>(), nameof(Web.Monitoring.TrafficSimulation.Changed)) ? Follows.Simulation : Follows.Nothing)
        | (HasHandlers(Services.GetRequiredService<Web.Monitoring.MonitoringNotices>(), nameof(Web.Monitoring.MonitoringNotices.Changed)) ? Follows.MonitoringAlerts : Follows.Nothing);

    // A field-like event keeps its handlers in a private field of the same name.
    private static bool HasHandlers(object source, string eventName) =>
        source.GetType().GetField(eventName, BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(source) is not null;
}

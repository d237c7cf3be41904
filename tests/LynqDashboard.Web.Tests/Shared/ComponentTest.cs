using Bunit;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Web.Live;
using LynqDashboard.Web.Model;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace LynqDashboard.Web.Tests.Shared;

/// <summary>bUnit with MudBlazor and the dashboard's services over in-memory fakes.</summary>
public abstract class ComponentTest : BunitContext
{
    protected ComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<LynqDashboard.Core.Registry.IModelRegistry>(Registry);
        Services.AddSingleton(Hub);
        Services.AddSingleton<IRunUpdatePublisher>(Hub);
        Services.AddSingleton(Data);
        Services.AddSingleton(Scheduler);
        Services.AddSingleton<IJobScheduler>(Scheduler);
        Services.AddSingleton<RunCancellations>();
        Services.AddSingleton<RegistryCommands>();
        Services.AddSingleton<VersionDetailsLoader>();
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new Configuration.LynqOptions()));
        Services.AddSingleton(Active);
        Services.AddSingleton(new LynqDashboard.Core.Scoring.CreditScorer());
        Services.AddSingleton<LynqDashboard.Web.Scoring.ScoringModels>();
        Services.AddSingleton(ScoredFiles);
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
    }

    protected FakeRegistry Registry { get; } = new();

    protected FakeScheduler Scheduler { get; } = new();

    protected RunUpdateHub Hub { get; } = new();

    protected LynqDashboard.Core.Scoring.ActiveModel Active { get; } = new(TimeProvider.System);

    protected LynqDashboard.Web.Scoring.ScoredFiles ScoredFiles { get; } = new();

    protected DataDirectory Data { get; } = new(Path.Combine(Path.GetTempPath(), "lynq-bunit", Guid.NewGuid().ToString("N")));
}

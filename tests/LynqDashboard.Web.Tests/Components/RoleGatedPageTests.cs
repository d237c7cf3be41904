using Bunit;
using Microsoft.Extensions.DependencyInjection;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Components.Pages;
using LynqDashboard.Web.Tests.Shared;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>What each role sees on the pages, and the server refusing an action whose button was still on screen.</summary>
public sealed class RoleGatedPageTests : ComponentTest
{
    [Fact]
    public void Datasets_AsViewer_ShowsNoGenerateForm_AndSaysWhichRoleItTakes()
    {
        SignInAs(LynqRoles.Viewer);

        var cut = Render<Datasets>();

        Assert.Empty(cut.FindAll("[data-testid=generate]"));
        Assert.Contains("need the Trainer role; you are Viewer", cut.Find("[data-testid=needs-trainer]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Datasets_RoleDroppedWhileThePageIsOpen_ClickIsRefusedOnTheServer_AndNothingIsQueued()
    {
        SignInAs(LynqRoles.Trainer);
        var cut = Render<Datasets>();
        var generate = cut.WaitForElement("[data-testid=generate]");

        SignInAs(LynqRoles.Viewer); // an Admin demoted them; the open page still shows the button
        await cut.InvokeAsync(() => generate.Click());

        var snackbars = Services.GetRequiredService<MudBlazor.ISnackbar>();
        cut.WaitForAssertion(() => Assert.Contains(snackbars.ShownSnackbars, s => s.Message!.Contains("Your role (Viewer) may not generate datasets", StringComparison.Ordinal)));
        Assert.Empty(Scheduler.Queued);
        Assert.Empty(Registry.Datasets);
        Assert.Contains(Promotions.Audit, a => a.Action == "access.denied" && a.Subject == "generate datasets" && a.Actor == "tester@lynq.test");
    }

    [Fact]
    public async Task Promotions_AsTrainer_OffersAskingButNoRollBack_AndAsViewerNeither()
    {
        SignInAs(LynqRoles.Trainer);
        await Registry.AddVersionAsync(new ModelVersionRecord { Parameters = new TrainingParameters(), Status = VersionStatus.Ready, RocAuc = 0.85, ArtifactDirectory = "models/v1" });

        var cut = Render<Promotions>();

        cut.WaitForElement("[data-testid=promote]");
        Assert.Empty(cut.FindAll("[data-testid=rollback]"));

        SignInAs(LynqRoles.Viewer);
        var viewer = Render<Promotions>();
        viewer.WaitForElement("[data-testid=promote-needs-role]");
        Assert.Empty(viewer.FindAll("[data-testid=promote]"));
        Assert.Empty(viewer.FindAll("[data-testid=rollback]"));
    }

    [Fact]
    public async Task ModelVersion_AsViewer_HidesJobButtonsAndMakesNotesReadOnly()
    {
        SignInAs(LynqRoles.Viewer);
        await Registry.AddVersionAsync(new ModelVersionRecord { Parameters = new TrainingParameters(), Status = VersionStatus.Failed, Error = "boom" });

        var cut = Render<ModelVersion>(p => p.Add(c => c.Number, 1));

        cut.WaitForElement("[data-testid=version-error]");
        Assert.Empty(cut.FindAll("[data-testid=retry]"));
        Assert.Empty(cut.FindAll("[data-testid=delete]"));
        Assert.Empty(cut.FindAll("[data-testid=save-notes]"));
    }
}

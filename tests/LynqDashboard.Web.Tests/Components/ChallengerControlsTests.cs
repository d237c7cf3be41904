using Bunit;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Challengers;
using LynqDashboard.Web.Components.Pages;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>On a Ready version's page an Approver puts it in shadow and starts a split; others only read which it is.</summary>
public sealed class ChallengerControlsTests : ComponentTest
{
    // Registry-only: publishing to a bucket needs a version's real files (S3ShadowPointerTests covers it against real S3).
    public ChallengerControlsTests() => Target = new(null);

    [Fact]
    public async Task Approver_PutsAReadyVersionInShadowAndStartsASplit_TheAssignmentsAreStoredAndShown()
    {
        SignInAs(LynqRoles.Approver);
        await Registry.AddVersionAsync(new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), Status = VersionStatus.Ready, ArtifactDirectory = "models/1" });
        var cut = Render<ModelVersion>(p => p.Add(c => c.Number, 1));
        cut.WaitForElement("[data-testid=challengers-none]");

        cut.WaitForElement("[data-testid=shadow-start]");

        await cut.InvokeAsync(() => cut.Find("[data-testid=shadow-start]").Click());
        cut.WaitForAssertion(() => Assert.Contains("In shadow", cut.Find("[data-testid=shadow-state]").TextContent, StringComparison.Ordinal));
        cut.WaitForElement("[data-testid=split-start]");
        await cut.InvokeAsync(() => cut.Find("[data-testid=split-start]").Click());
        cut.WaitForAssertion(() => Assert.Contains("answers 10 % of wallets", cut.Find("[data-testid=split-state]").TextContent, StringComparison.Ordinal));

        var stored = await Services.GetRequiredService<ChallengerCommands>().GetAsync();
        Assert.Equal((1, 1, 10.0, "tester@lynq.test"), (stored.Shadow!.Version, stored.Split!.Version, stored.Split.Percent, stored.Shadow.SetBy));
        cut.WaitForElement("[data-testid=shadow-stop]");
        await cut.InvokeAsync(() => cut.Find("[data-testid=shadow-stop]").Click());
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=shadow-state]")));
        Assert.Null((await Services.GetRequiredService<ChallengerCommands>().GetAsync()).Shadow);
    }

    [Fact]
    public async Task Trainer_SeesWhichVersionIsTheChallenger_WithoutButtons()
    {
        SignInAs(LynqRoles.Trainer);
        await Registry.AddVersionAsync(new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), Status = VersionStatus.Ready, ArtifactDirectory = "models/1" });
        await Services.GetRequiredService<ChallengerCommands>().StartSplitAsync(1, 25, "approver@lynq.test");

        var cut = Render<ModelVersion>(p => p.Add(c => c.Number, 1));

        cut.WaitForAssertion(() => Assert.Contains("answers 25 % of wallets", cut.Find("[data-testid=split-state]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=shadow-start], [data-testid=split-start], [data-testid=split-stop]"));
    }
}

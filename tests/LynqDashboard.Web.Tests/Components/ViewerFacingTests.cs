using Bunit;
using LynqDashboard.Core.Registry;
using LynqDashboard.Web.Components.Controls;
using LynqDashboard.Web.Live;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>Times in the viewer's own zone, and one notice per finished job.</summary>
public sealed class ViewerFacingTests : ComponentTest
{
    private static readonly DateTimeOffset Instant = new(2026, 11, 24, 10, 31, 0, TimeSpan.Zero);

    [Fact]
    public void LocalTime_ShowsUtcSayingSo_ThenTheBrowsersZoneOnceKnown()
    {
        var cut = Render<LocalTime>(p => p.Add(c => c.At, Instant));
        Assert.Equal("2026-11-24 10:31 UTC", cut.Find("time").TextContent);

        Services.GetRequiredService<ViewerClock>().Set("Asia/Tokyo");

        cut.WaitForAssertion(() => Assert.Equal("2026-11-24 19:31", cut.Find("time").TextContent));
        Assert.Equal("Asia/Tokyo", cut.Find("time").GetAttribute("title"));
        Assert.Equal("2026-11-24T10:31:00.0000000+00:00", cut.Find("time").GetAttribute("datetime"));
    }

    [Fact]
    public void ViewerClock_UnknownZoneName_KeepsUtc()
    {
        var clock = new ViewerClock();

        clock.Set("Mars/Olympus_Mons");

        Assert.False(clock.IsKnown);
        Assert.Equal("10:31 UTC", clock.Format(Instant, ViewerClock.Time));
        Assert.Equal("–", clock.Format(null));
    }

    [Theory]
    [InlineData(RunKind.Version, "Ready", "v3", null, "v3 is trained and ready.", Severity.Success)]
    [InlineData(RunKind.Version, "Failed", "v4", "The training dataset is not ready.", "v4 failed: The training dataset is not ready.", Severity.Error)]
    [InlineData(RunKind.Dataset, "Cancelled", "50,000 rows · seed 7", null, "50,000 rows · seed 7 was cancelled.", Severity.Warning)]
    [InlineData(RunKind.Promotion, "Succeeded", "promotion of v3", null, "Promotion of v3 finished: production moved.", Severity.Success)]
    [InlineData(RunKind.Promotion, "Failed", "rollback to v2", "[AccessDenied] no", "Rollback to v2 failed: [AccessDenied] no", Severity.Error)]
    public void Notice_SaysWhatFinishedAndHow(RunKind kind, string status, string label, string? error, string message, Severity severity) =>
        Assert.Equal((message, severity), RunNotices.Describe(new RunUpdate(kind, Guid.NewGuid(), StateOf(kind, status), status, new JobProgress(), error, label)));

    // The run state of a record's status name, through the one mapping.
    private static RunState StateOf(RunKind kind, string status) => kind switch
    {
        RunKind.Dataset => Enum.Parse<DatasetStatus>(status).State(),
        RunKind.Version => Enum.Parse<VersionStatus>(status).State(),
        _ => Enum.Parse<PromotionStatus>(status).State(),
    };

    [Fact]
    public void Notices_AreShownOncePerFinishedJob_NotForProgress()
    {
        var shown = new List<string>();
        using var notices = new RunNotices(Hub, (m, _) => shown.Add(m));

        Hub.Publish(new RunUpdate(RunKind.Version, Guid.NewGuid(), RunState.Running, "Running", new JobProgress { Fraction = 0.5 }));
        Hub.Publish(new RunUpdate(RunKind.Version, Guid.NewGuid(), RunState.Succeeded, "Ready", new JobProgress(), Label: "v9"));

        Assert.Equal(["v9 is trained and ready."], shown);
    }
}

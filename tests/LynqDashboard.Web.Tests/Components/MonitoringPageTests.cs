using Bunit;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Registry;
using LynqDashboard.Infrastructure.Registry;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Monitoring;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MonitoringPage = LynqDashboard.Web.Components.Pages.Monitoring;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>The Monitoring page over snapshots stored in a real registry file: lights, alerts, charts, the dropped-decisions banner and who may run it.</summary>
public sealed class MonitoringPageTests : ComponentTest
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private IMonitoringStore Store => Services.GetRequiredService<IMonitoringStore>();

    [Fact]
    public async Task ProductionVersion_WithADriftedSnapshot_ShowsRedLightsTheAlertAndEveryChart()
    {
        var version = await AddProductionAsync(3);
        await Store.AddSnapshotAsync(Snapshot(version, Start, 0.03, 0.02));
        await Store.AddSnapshotAsync(Snapshot(version, Start.AddHours(1), 0.31, 0.62) with
        {
            Alerts = [new MonitoringAlert(MonitoringAlertKind.Psi, "wallet_age_days", 0.62, 0.25, "Wallet age has moved: CSI 0.62 against the red line 0.25.")],
        });

        var cut = Render<MonitoringPage>();

        cut.WaitForAssertion(() => Assert.Equal("Red", cut.Find("[data-testid=score-light]").GetAttribute("data-light")));
        Assert.Contains("v3 (production)", cut.Find("[data-testid=monitoring-version]").OuterHtml, StringComparison.Ordinal);
        Assert.Equal("2,400", cut.Find("[data-testid=monitoring-decisions]").TextContent);
        var alert = cut.Find("[data-testid=monitoring-alert]");
        Assert.Equal(("Psi", "wallet_age_days"), (alert.GetAttribute("data-kind"), alert.GetAttribute("data-feature")));
        Assert.Equal("Red", cut.Find("[data-testid=stability-wallet_age_days]").GetAttribute("data-light"));
        Assert.Equal("Green", cut.Find("[data-testid=stability-loan_amount]").GetAttribute("data-light"));

        // Two snapshots: the score's and the charted features' lines plus the two threshold lines.
        Assert.Equal(2 + 1 + MonitoringView.ChartedFeatures, cut.FindAll("[data-testid=psi-chart] svg path.xy-line").Count);
        Assert.NotEmpty(cut.FindAll("[data-testid=backtest-chart] svg path.xy-line"));
        Assert.NotEmpty(cut.FindAll("[data-testid=mix-chart] svg path"));
        Assert.NotEmpty(cut.FindAll("[data-testid=traffic-chart] svg path.xy-line"));
        Assert.Contains("2026-11-23", cut.Find("[data-testid=backtest-table]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DroppedDecisions_ReportedByTwoProcesses_AreSummedInTheBanner()
    {
        await Store.SaveSettingAsync(new StoredSetting { Key = MonitoringPageLoader.DroppedPrefix + "web-1:10", Value = "1200", UpdatedBy = "system" });
        await Store.SaveSettingAsync(new StoredSetting { Key = MonitoringPageLoader.DroppedPrefix + "scoring-2:11", Value = "34", UpdatedBy = "system" });

        var cut = Render<MonitoringPage>();

        cut.WaitForAssertion(() => Assert.Contains("dropped 1,234 decisions", cut.Find("[data-testid=ledger-dropped]").TextContent, StringComparison.Ordinal));
        Assert.NotNull(cut.Find("[data-testid=monitoring-empty]"));
    }

    [Fact]
    public async Task RunNow_IsForTrainers_AndShowsTheNewSnapshot()
    {
        var version = await AddProductionAsync(2);
        SignInAs(LynqRoles.Viewer);
        var viewer = Render<MonitoringPage>();
        viewer.WaitForAssertion(() => Assert.NotNull(viewer.Find("[data-testid=monitoring-empty]")));
        Assert.Empty(viewer.FindAll("[data-testid=monitoring-run]"));

        SignInAs(LynqRoles.Trainer);
        MonitoringRunner.Next = Snapshot(version, Start, 0.05, 0.04);
        var trainer = Render<MonitoringPage>();
        trainer.WaitForAssertion(() => trainer.Find("[data-testid=monitoring-run]"));
        await trainer.Find("[data-testid=monitoring-run]").ClickAsync(new());

        trainer.WaitForAssertion(() => Assert.Equal("Green", trainer.Find("[data-testid=score-light]").GetAttribute("data-light")));
        Assert.Equal([2], MonitoringRunner.Asked);
    }

    [Fact]
    public async Task Schedule_AnAdminChangesIt_TheCardShowsTheNewCron_AndABadOneIsRefusedInWords()
    {
        var cut = Render<MonitoringPage>();
        cut.WaitForAssertion(() => Assert.Equal("0 * * * *", cut.Find("[data-testid=schedule-cron]").TextContent));

        cut.Find("[data-testid=schedule-input]").Change("*/15 * * * *");
        await cut.Find("[data-testid=schedule-save]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal("*/15 * * * *", cut.Find("[data-testid=schedule-cron]").TextContent));
        Assert.Contains("Set by tester@lynq.test", cut.Find("[data-testid=monitoring-schedule]").TextContent, StringComparison.Ordinal);

        cut.Find("[data-testid=schedule-input]").Change("every hour");
        await cut.Find("[data-testid=schedule-save]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains("cron", Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars.Last().Message?.ToString() ?? string.Empty, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("*/15 * * * *", cut.Find("[data-testid=schedule-cron]").TextContent);
        Assert.Equal("*/15 * * * *", (await Store.GetSettingAsync(MonitoringSchedule.SettingKey))?.Value);
    }

    private async Task<int> AddProductionAsync(int number)
    {
        for (var n = 1; n <= number; n++)
        {
            await Registry.AddVersionAsync(new ModelVersionRecord
            {
                DatasetId = Guid.NewGuid(), Parameters = new(), Status = n == number ? VersionStatus.Production : VersionStatus.Ready, ArtifactDirectory = "models/v" + n,
            });
        }

        return number;
    }

    private static MonitoringSnapshot Snapshot(int version, DateTimeOffset at, double scorePsi, double walletCsi) => new(
        Guid.NewGuid(), version, version.ToString(System.Globalization.CultureInfo.InvariantCulture), at, at.AddDays(-30), at, 2400, 600, scorePsi,
        new Dictionary<string, double>
        {
            ["wallet_age_days"] = walletCsi, ["loan_amount"] = 0.01, ["collateral_value_usd"] = 0.02, ["reputation_score"] = 0.005, ["defaults"] = 0.003,
        },
        [
            new DailyMix(at.Date.AddDays(-1), 1200, 0.061, new Dictionary<string, long> { ["APPROVE"] = 800, ["MANUAL_REVIEW"] = 100, ["REJECT"] = 300 }),
            new DailyMix(at.Date, 1200, 0.07, new Dictionary<string, long> { ["APPROVE"] = 700, ["MANUAL_REVIEW"] = 150, ["REJECT"] = 350 }),
        ],
        [new HourlyCount(at.AddHours(-1), 1000), new HourlyCount(at, 1400)],
        [
            new VintageBackTest(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), "week", 1200, 300, 20, 0.065, 0.0667, 0.014, 0.81, 0.52),
            new VintageBackTest(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), "week", 1200, 300, 22, 0.07, 0.0733, 0.015, 0.79, 0.49),
        ],
        [], new MonitoringThresholds(), 0.4);
}

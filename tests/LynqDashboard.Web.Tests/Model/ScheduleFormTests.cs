using LynqDashboard.Core.Retraining;
using LynqDashboard.Web.Model;

namespace LynqDashboard.Web.Tests.Model;

/// <summary>The new-schedule form reads the cron back in its zone before saving, and sends only what its source uses.</summary>
public sealed class ScheduleFormTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Preview_ACronInBerlin_FiresAtThreeLocalAcrossTheSpringChange()
    {
        var form = new ScheduleForm { Cron = "0 3 * * *", TimeZone = "Europe/Berlin" };

        var (times, problem) = form.Preview(Now);

        // 28 March 03:00 CET = 02:00 UTC has passed; Berlin moves to CEST on 29 March, so 03:00 is 01:00 UTC from then on.
        Assert.Null(problem);
        Assert.Equal(
            [new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 30, 1, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 31, 1, 0, 0, TimeSpan.Zero)],
            times.Select(t => t.ToUniversalTime()));
    }

    [Theory]
    [InlineData("0 25 * * *", "UTC", "Cron:")]
    [InlineData("every night", "UTC", "Cron:")]
    [InlineData("0 3 * * *", "Mars/Olympus", "Time zone: \"Mars/Olympus\"")]
    public void Preview_ABadCronOrZone_SaysWhichAndWhy(string cron, string zone, string starts)
    {
        var (times, problem) = new ScheduleForm { Cron = cron, TimeZone = zone }.Preview(Now);

        Assert.Empty(times);
        Assert.StartsWith(starts, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ToDraft_SendsOnlyWhatTheSourceUses()
    {
        var generate = new ScheduleForm { Source = ScheduleSource.Generate, Rows = 30_000, Seed = 9, LedgerWindowDays = 30, Trees = 120 }.ToDraft();
        var ledger = new ScheduleForm { Source = ScheduleSource.Ledger, Rows = 30_000, Seed = 9, LedgerWindowDays = 30 }.ToDraft();

        Assert.Equal(("generate", 30_000, 9L, (int?)null, 120), (generate.Source, generate.Rows!.Value, generate.Seed!.Value, generate.LedgerWindowDays, generate.Training!.Trees));
        Assert.Equal(("ledger", (int?)null, (long?)null, 30), (ledger.Source, ledger.Rows, ledger.Seed, ledger.LedgerWindowDays!.Value));
    }
}

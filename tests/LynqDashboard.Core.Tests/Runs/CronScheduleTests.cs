using LynqDashboard.Core.Runs;

namespace LynqDashboard.Core.Tests.Runs;

/// <summary>A cron expression is read in its zone, and a bad one is explained naming the field that is wrong.</summary>
public sealed class CronScheduleTests
{
    [Theory]
    [InlineData("0 25 * * *", "the hour field is 25, which is outside 0–23")]
    [InlineData("61 * * * *", "the minute field is 61, which is outside 0–59")]
    [InlineData("0 3 32 * *", "the day-of-month field is 32, which is outside 1–31")]
    [InlineData("0 3 * 1-13 *", "the month field is 13, which is outside 1–12")]
    [InlineData("70 0 3 * * *", "the second field is 70, which is outside 0–59")]
    [InlineData("0 3 * *", "it has 4 fields")]
    [InlineData("", "it is empty")]
    public void TryParse_ABadExpression_SaysWhichFieldAndWhy(string text, string says)
    {
        Assert.False(CronSchedule.TryParse(text, null, out var schedule, out var problem));

        Assert.Null(schedule);
        Assert.Contains(says, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*/90 * * * *")]
    [InlineData("0 2 * * MON-FRI")]
    [InlineData("0 0 1 JAN *")]
    public void TryParse_StepsAndNames_AreNotMistakenForOutOfRangeNumbers(string text)
    {
        var ok = CronSchedule.TryParse(text, null, out _, out var problem);

        Assert.True(ok || !problem!.Contains("outside", StringComparison.Ordinal), problem);
    }

    [Fact]
    public void Next_InBerlin_IsThreeOclockLocalOnBothSidesOfTheSpringChange()
    {
        var schedule = CronSchedule.Parse("0 3 * * *", TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

        Assert.Equal(new DateTimeOffset(2026, 3, 28, 2, 0, 0, TimeSpan.Zero), schedule.Next(new DateTimeOffset(2026, 3, 28, 0, 0, 0, TimeSpan.Zero))!.Value.ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), schedule.Next(new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero))!.Value.ToUniversalTime());
    }
}

using System.Globalization;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Features;
using Microsoft.Playwright;

namespace LynqDashboard.Browser.Tests.Journeys;

/// <summary>Journey 2, manual loan risk lookup, as a Viewer in a real browser (in Tokyo, to see times in the viewer's zone).</summary>
[Collection(JourneyCollection.Name)]
public sealed class LoanLookupJourney(JourneyHost host, ITestOutputHelper output)
{
    [Fact]
    public async Task Viewer_ScoresTheExampleApplicant_SeesTheResultMoveWithCollateral_AndAnInvalidValueNamedInItsField()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ready = await host.EnsureReadyVersionsAsync(1);
        var page = await host.OpenAsync(LynqRoles.Viewer, "/score", timeZone: "Asia/Tokyo");
        await JourneyHost.ChooseScoringModelAsync(page, ready[^1]);
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type is "error") { problems.Add(m.Text); } };
        page.PageError += (_, e) => problems.Add(e);
        await page.GetByTestId("result").GetByText("v", new LocatorGetByTextOptions { Exact = false }).First.WaitForAsync();

        // Type the LYNQ example applicant into the form, field by field.
        var example = LoanApplication.Example;
        foreach (var spec in LoanFeatures.Supplied)
        {
            var field = Field(page, spec.Name);
            await field.FillAsync(example.Get(spec).ToString(CultureInfo.InvariantCulture));
        }

        await page.WaitForTimeoutAsync(400); // the form rescores 250 ms after the last change
        var result = page.GetByTestId("result");
        Assert.Matches(@"^\d+\.\d %$", (await result.GetByTestId("result-pd").TextContentAsync())!.Trim());
        var score = int.Parse((await result.GetByTestId("result-score").Locator("b").TextContentAsync())!, CultureInfo.InvariantCulture);
        Assert.InRange(score, 100, 1000);
        Assert.Contains((await result.GetByTestId("result-risk").TextContentAsync())!.Trim(), new[] { "VERY LOW", "LOW", "MEDIUM", "HIGH", "VERY HIGH" });
        Assert.Contains((await result.GetByTestId("result-action").TextContentAsync())!.Trim(), new[] { "APPROVE", "APPROVE WITH CONDITIONS", "MANUAL REVIEW", "REJECT" });
        Assert.True(await result.GetByTestId("result-factors").Locator("svg rect, svg path").CountAsync() > 0, "no top factors drawn");
        Assert.DoesNotContain("fallback", await result.TextContentAsync(), StringComparison.Ordinal);
        await JourneyHost.ShotAsync(page, "j2-01-example-applicant");

        // Less collateral: the PD moves and the page says by how much.
        var pdBefore = await result.GetByTestId("result-pd").TextContentAsync();
        await Field(page, "collateral_value_usd").FillAsync("1050");
        await result.GetByTestId("result-delta").WaitForAsync();
        Assert.NotEqual(pdBefore, await result.GetByTestId("result-pd").TextContentAsync());
        Assert.Contains("1.05", await page.GetByTestId("collateral-ratio").TextContentAsync(), StringComparison.Ordinal);
        await JourneyHost.ShotAsync(page, "j2-02-less-collateral");

        // An invalid loan amount: the field says why, the last result stays, nothing goes to the server as an error.
        var pdValid = await result.GetByTestId("result-pd").TextContentAsync();
        await Field(page, "loan_amount").FillAsync("0");
        await page.GetByTestId("form-invalid").WaitForAsync();
        var fieldBox = page.Locator(".mud-input-control").Filter(new LocatorFilterOptions { Has = Field(page, "loan_amount") });
        Assert.Contains("Loan amount (USD) must be at least 0.01.", await fieldBox.TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("true", await Field(page, "loan_amount").GetAttributeAsync("aria-invalid"));
        Assert.Equal(pdValid, await result.GetByTestId("result-pd").TextContentAsync());
        Assert.Equal(0, await page.Locator(".mud-snackbar.mud-alert-filled-error, .mud-snackbar-content-message:has-text('error')").CountAsync());
        // The old answer stays for reference, but marked and dimmed: it is not for what the form now holds.
        Assert.Equal("true", await result.GetAttributeAsync("data-stale"));
        Assert.Contains("Out of date", await result.GetByTestId("result-stale").TextContentAsync(), StringComparison.Ordinal);
        var opacity = double.Parse(await result.Locator(".score-card-body").EvaluateAsync<string>("e => getComputedStyle(e).opacity"), CultureInfo.InvariantCulture);
        Assert.True(opacity < 0.8, $"the stale result is drawn at opacity {opacity}");
        await JourneyHost.ShotAsync(page, "j2-03-invalid-field");
        await Field(page, "loan_amount").FillAsync("1000");
        await page.Locator("[data-testid=result][data-stale=false]").WaitForAsync();
        Assert.Equal(0, await page.GetByTestId("form-invalid").CountAsync());

        // The serving-model banner's time is in the viewer's zone (Tokyo), not the server's.
        var banner = page.GetByTestId("serving-model").Locator("time");
        Assert.Equal("Asia/Tokyo", await banner.GetAttributeAsync("title"));
        var instant = DateTimeOffset.Parse((await banner.GetAttributeAsync("datetime"))!, CultureInfo.InvariantCulture);
        Assert.Equal(TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), (await banner.TextContentAsync())!.Trim());

        Assert.Empty(problems);
        output.WriteLine($"journey 2 took {clock.Elapsed.TotalSeconds:F1} s");
        await page.Context.CloseAsync();
    }

    private static ILocator Field(IPage page, string name) => page.Locator($"input[data-testid=field-{name}], [data-testid=field-{name}] input").First;
}

using LynqDashboard.Core.Access;
using Microsoft.Playwright;

namespace LynqDashboard.Browser.Tests.Journeys;

/// <summary>
/// The applicant the analyst reported ($50,000 asked, $0 collateral, reputation 5, 3 defaults, the rest as the form starts),
/// typed into the Score page in a real browser: the card must read REJECT with the policy's reason and version, never an
/// approved maximum of $0.00, and warn about the impossible history. Screenshot: journeys/score-reported-applicant-1280.png.
/// </summary>
[Collection(JourneyCollection.Name)]
public sealed class ScoreDecisionJourney(JourneyHost host, ITestOutputHelper output)
{
    [Fact]
    public async Task Viewer_ScoresTheReportedApplicant_SeesRejectWithTheReasonAndPolicy_AndNoZeroMaximum()
    {
        var ready = await host.EnsureReadyVersionsAsync(1);
        var page = await host.OpenAsync(LynqRoles.Viewer, "/score");
        await JourneyHost.ChooseScoringModelAsync(page, ready[^1]);
        var result = page.GetByTestId("result");
        await result.GetByText("v", new LocatorGetByTextOptions { Exact = false }).First.WaitForAsync();

        foreach (var (name, value) in new[] { ("loan_amount", "50000"), ("collateral_value_usd", "0"), ("reputation_score", "5"), ("defaults", "3") })
        {
            await page.Locator($"input[data-testid=field-{name}], [data-testid=field-{name}] input").First.FillAsync(value);
        }

        await result.GetByTestId("result-warning").WaitForAsync(); // the last field is in once its warning shows
        await page.WaitForTimeoutAsync(400); // the form rescores 250 ms after the last change
        Assert.Equal("REJECT", (await result.GetByTestId("result-action").TextContentAsync())!.Trim());
        var reason = (await result.GetByTestId("result-reason").TextContentAsync())!.Trim();
        Assert.Matches(@"^Why: (rule: the maximum loan is \$0 \(no collateral to lend against\)|band VERY_HIGH: PD .+)$", reason);
        Assert.Equal("v2", (await result.GetByTestId("result-policy").TextContentAsync())!.Trim());
        Assert.Equal("no loan (rejected)", (await result.GetByTestId("result-max-loan").TextContentAsync())!.Trim());
        Assert.DoesNotContain("0.00 USD", await result.TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("the history is impossible", await result.GetByTestId("result-warning").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("Reputation score", await result.GetByTestId("result-not-actionable").TextContentAsync(), StringComparison.Ordinal);
        await JourneyHost.ShotAsync(page, "score-reported-applicant");
        output.WriteLine($"{reason}; screenshots in {JourneyHost.ShotFolder}");
        await page.Context.CloseAsync();
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using LynqDashboard.Core.Access;
using Microsoft.Playwright;

namespace LynqDashboard.Browser.Tests.Journeys;

/// <summary>
/// Journey 3, model version promotion with four eyes: a Trainer asks (with the review in front of them), a second person
/// with the Approver role approves and watches the promotion; then a Viewer who finds no way to promote, and is refused
/// when forcing it.
/// </summary>
[Collection(JourneyCollection.Name)]
public sealed class PromotionJourney(JourneyHost host, ITestOutputHelper output)
{
    [Fact]
    public async Task TrainerAsks_ASecondPersonApproves_WatchingPreflightAndUpload_SeesProductionAndTheObjects_RollsBack_AndAViewerIsRefused()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ready = await host.EnsureReadyVersionsAsync(2);
        var (first, second) = (ready[^2], ready[^1]);
        var page = await host.OpenAsync(LynqRoles.Approver, "/promotions");

        var (stages, checksSeen) = await PromoteAsync(page, first);
        Assert.Equal(8, checksSeen); // every preflight check shown passing on the live card
        Assert.Contains("uploading bytes", stages);
        await JourneyHost.ShotAsync(page, "j3-03-promoted");

        // The objects are in the local S3 server, byte for byte the version's files.
        var zip = await DownloadAsync(page, $"{host.App.BaseUrl}/downloads/models/{first}/model.zip");
        Assert.Equal(Sha(zip), await ObjectShaAsync($"models/credit_model_v{first}.zip"));
        var pointer = JsonDocument.Parse(await ObjectTextAsync("models/production.json"));
        Assert.Equal($"models/credit_model_v{first}_manifest.json", pointer.RootElement.GetProperty("manifest").GetString());

        // The version page says where it is deployed.
        await host.GoAsync(page, $"/models/{first}");
        await page.GetByTestId("deployed-where").WaitForAsync();
        Assert.Contains($"In production in s3://{host.Bucket}", await page.GetByTestId("deployed-where").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await page.GetByText("Production", new PageGetByTextOptions { Exact = true }).CountAsync());
        await JourneyHost.ShotAsync(page, "j3-04-version-in-production");

        // A second promotion, then roll back to the first.
        await host.GoAsync(page, $"/promotions?version={second}");
        var overview = await page.Context.NewPageAsync();
        await host.GoAsync(overview, "/");
        await overview.Locator($"[data-testid=serving-model][data-serving-version='{first}']").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await PromoteAsync(page, second);

        // The Overview left open names the version that serves now, without a reload.
        await overview.Locator($"[data-testid=serving-model][data-serving-version='{second}']").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.Contains($"serves version {second} ", await overview.GetByTestId("serving-model").TextContentAsync(), StringComparison.Ordinal);
        await overview.CloseAsync();
        await page.GetByTestId("rollback").ClickAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Roll back", Exact = true }).Last.ClickAsync();
        await page.GetByTestId("production-version").Filter(new LocatorFilterOptions { HasText = $"v{first}" }).WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        Assert.Contains($"models/credit_model_v{first}_manifest.json", await ObjectTextAsync("models/production.json"), StringComparison.Ordinal);
        Assert.Contains("rollback.succeeded", await page.GetByTestId("audit-log").TextContentAsync(), StringComparison.Ordinal);

        // The picker names each version's status now: the one rolled away from is no longer "Production".
        var picked = await page.GetByTestId("promote-card").Locator(".mud-select").First.EvaluateAsync<string>(
            "e => [...e.querySelectorAll('input')].map(i => i.value).join(' ') + ' ' + e.innerText");
        Assert.DoesNotContain($"v{second} · Production", picked, StringComparison.Ordinal);
        Assert.True(await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Ask for approval", Exact = false }).First.InnerTextAsync() is var label && !label.Contains("ASK", StringComparison.Ordinal), "button labels keep their case");

        // "Rollback finished" comes with the history table under it: the notice must lie over no row's link or button.
        await page.Locator(".mud-snackbar").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        Assert.Empty(await JourneyHost.CoveredByNoticesAsync(page));
        await JourneyHost.ShotAsync(page, "j3-05-rolled-back");
        await page.Context.CloseAsync();

        // A Viewer: no promote button, and the server refuses the action when forced.
        var viewer = await host.OpenAsync(LynqRoles.Viewer, "/promotions");
        await viewer.GetByTestId("promote-needs-role").WaitForAsync();
        Assert.Equal(0, await viewer.GetByTestId("promote").CountAsync());
        Assert.Equal(0, await viewer.GetByTestId("rollback").CountAsync());
        var forced = await viewer.EvaluateAsync<JsonElement>("""
            async (version) => {
                const token = await (await fetch('/api/dashboard/antiforgery')).json();
                const response = await fetch(`/api/dashboard/versions/${version}/promotion-requests`, { method: 'POST', headers: { 'Content-Type': 'application/json', [token.header]: token.token }, body: JSON.stringify({ comment: 'forced' }) });
                return { status: response.status, body: await response.text() };
            }
            """, second);
        Assert.Equal(403, forced.GetProperty("status").GetInt32());
        Assert.Contains("needs the Trainer role", forced.GetProperty("body").GetString(), StringComparison.Ordinal);
        await JourneyHost.ShotAsync(viewer, "j3-06-viewer");
        output.WriteLine($"journey 3 took {clock.Elapsed.TotalSeconds:F1} s");
        await viewer.Context.CloseAsync();
    }

    // A Trainer asks for the promotion on the Promotions page, with the review in front of them; the Approver on `page` (a
    // different person) approves it there. Returns every progress stage the live card showed and the most passed checks it listed.
    private async Task<(List<string> Stages, int ChecksSeen)> PromoteAsync(IPage page, int number)
    {
        var trainer = await host.OpenAsync(LynqRoles.Trainer, $"/promotions?version={number}");
        await trainer.GetByTestId("promotion-review").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await JourneyHost.ShotAsync(trainer, $"j3-01-review-v{number}");
        await trainer.GetByTestId("request-comment").FillAsync($"v{number} for production: journey 3");
        await trainer.GetByTestId("promote").ClickAsync();
        await trainer.Locator(".mud-dialog").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Ask for approval", Exact = true }).ClickAsync();
        var asked = trainer.Locator($"[data-testid=promotion-request][data-version='{number}'][data-status=Pending]");
        await asked.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.True(await asked.GetByTestId("approve").CountAsync() == 0, "a Trainer is offered no approval");
        await trainer.Context.CloseAsync();

        await host.GoAsync(page, "/promotions");
        await page.EvaluateAsync("""
            () => { window.__stages = []; window.__checks = 0; new MutationObserver(() => {
                document.querySelectorAll('[data-testid=active-promotion] [data-testid=run-progress]').forEach(e => window.__stages.push(e.innerText.trim()));
                window.__checks = Math.max(window.__checks, document.querySelectorAll('[data-testid=active-promotion] [data-passed=true]').length);
            }).observe(document.body, { subtree: true, childList: true, characterData: true }); }
            """);
        var pending = page.Locator($"[data-testid=promotion-request][data-version='{number}'][data-status=Pending]");
        await pending.GetByTestId("decision-comment").FillAsync("second pair of eyes: gates and comparison read");
        await JourneyHost.ShotAsync(page, $"j3-02-pending-v{number}");
        await pending.GetByTestId("approve").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Approve and promote", Exact = true }).ClickAsync();
        await page.GetByTestId("active-promotion").WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        await JourneyHost.ShotAsync(page, $"j3-02-promoting-v{number}");
        await page.GetByTestId("production-version").Filter(new LocatorFilterOptions { HasText = $"v{number}" }).WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        var approved = page.Locator($"[data-testid=promotion-request][data-version='{number}'][data-status=Approved]").First; // newest first: another journey may have approved this version before
        await approved.WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        Assert.Contains($"by {LynqRoles.Approver.ToLowerInvariant()}@", await approved.GetByTestId("request-decision").TextContentAsync(), StringComparison.Ordinal);
        var stages = (await page.EvaluateAsync<string[]>("() => window.__stages")).Select(s => s.Split('·')[0].Trim() + (s.Contains("bytes", StringComparison.Ordinal) ? " bytes" : string.Empty)).Distinct().ToList();
        return (stages, await page.EvaluateAsync<int>("() => window.__checks"));
    }

    // Through the page's own session, as the Download button would.
    private static async Task<byte[]> DownloadAsync(IPage page, string url)
    {
        var response = await page.APIRequest.GetAsync(url);
        Assert.Equal(200, response.Status);
        return await response.BodyAsync();
    }

    private async Task<string> ObjectShaAsync(string key) => Sha(await ObjectBytesAsync(key));

    private async Task<string> ObjectTextAsync(string key) => System.Text.Encoding.UTF8.GetString(await ObjectBytesAsync(key));

    private async Task<byte[]> ObjectBytesAsync(string key)
    {
        using var response = await host.S3.GetObjectAsync(host.Bucket, key);
        using var memory = new MemoryStream();
        await response.ResponseStream.CopyToAsync(memory);
        return memory.ToArray();
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

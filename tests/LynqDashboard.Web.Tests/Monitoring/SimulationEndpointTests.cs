using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Registry;
using LynqDashboard.Web.Security;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Monitoring;

/// <summary>
/// The Admin's simulation action over HTTP, with the ledger and the outcome store replaced by doubles that keep what they
/// are given (the real ledger is built beside this; the end-to-end run is the lead's after the merge).
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class SimulationEndpointTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    [Theory]
    [InlineData("""{"rows": 0}""", "rows")]
    [InlineData("""{"rows": 1000001}""", "rows")]
    [InlineData("""{"drift": "sideways"}""", "drift")]
    [InlineData("""{"hours": 0}""", "hours")]
    [InlineData("""{"hours": 721}""", "hours")]
    public async Task Post_ABadField_Is422NamingIt(string body, string field)
    {
        var app = factory;
        using var admin = await DashboardFactory.SignedInClientAsync(app);
        var before = await SimulatedCountAsync();

        using var response = await PostAsync(admin, body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Equal(before, await SimulatedCountAsync());
    }

    [Fact]
    public async Task Post_AsAViewer_IsForbidden()
    {
        var app = factory;
        using var viewer = await DashboardFactory.SignedInClientAsync(app, LynqRoles.Viewer);
        var before = await SimulatedCountAsync();

        using var response = await PostAsync(viewer, """{"rows": 10}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Equal(before, await SimulatedCountAsync());
    }

    // The class shares one app, so a refused request is proven by the simulator's rows not growing, whatever ran before.
    private async Task<long> SimulatedCountAsync() =>
        (await factory.Services.GetRequiredService<IDecisionStore>().QueryAsync(new DecisionQuery(Channel: DecisionChannels.Simulator), TestContext.Current.CancellationToken)).Total;

    [Fact]
    public async Task Post_ARun_RecordsEachDecisionOverTheLastHoursAndItsOutcome()
    {
        var app = factory;
        using var admin = await DashboardFactory.SignedInClientAsync(app);
        var before = DateTimeOffset.UtcNow;

        using var response = await PostAsync(admin, """{"rows": 300, "drift": "thin-collateral", "outcomes": true, "seed": 4, "hours": 24}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("id").GetGuid();
        var status = await Eventually.WaitForAsync(
            async () => (await admin.GetStringAsync($"/api/dashboard/simulations/{id}", TestContext.Current.CancellationToken)) is var text ? JsonDocument.Parse(text) : null,
            s => s.RootElement.GetProperty("state").GetString() != "running", TimeSpan.FromSeconds(30), "the simulation to end");
        Assert.Equal("finished", status.RootElement.GetProperty("state").GetString());
        Assert.Equal(300, status.RootElement.GetProperty("rows_done").GetInt32());
        Assert.Equal(300, status.RootElement.GetProperty("outcomes_recorded").GetInt32());

        // What the real ledger stored, oldest first, with the outcomes the run reported.
        var entries = new List<LedgerEntry>();
        await foreach (var entry in app.Services.GetRequiredService<IDecisionStore>().StreamAsync(new DecisionQuery(Channel: DecisionChannels.Simulator), TestContext.Current.CancellationToken))
        {
            if (entry.Decision.RequestId.StartsWith($"sim-{id:N}-", StringComparison.Ordinal))
            {
                entries.Insert(0, entry);
            }
        }

        var recorded = entries.Select(e => e.Decision).ToList();
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"sim-{id:N}-{i}"), recorded.Select(r => r.RequestId));
        Assert.All(recorded, r => Assert.Equal((DecisionChannels.Simulator, DashboardFactory.AdminEmail), (r.Channel, r.Caller)));
        Assert.InRange(recorded[0].At, before.AddHours(-24).AddSeconds(-5), before.AddHours(-23));
        Assert.True(recorded.Zip(recorded.Skip(1)).All(p => p.First.At < p.Second.At));
        Assert.InRange(recorded[^1].At, before.AddMinutes(-10), DateTimeOffset.UtcNow);
        var drawn = new TrafficSimulator(300, 4, TrafficDrift.ThinCollateral).Applications().ToList();
        Assert.Equal(drawn.Select(a => DecisionRecord.PackFeatures(a.Application)), recorded.Select(r => r.Features));
        Assert.Equal(drawn.Select((a, i) => ($"sim-{id:N}-{i}", (bool?)a.Defaulted)), entries.Select(e => (e.Decision.RequestId, e.Outcome?.Defaulted)));
        var audit = await app.Services.GetRequiredService<IAuditLog>().ListAsync(0, 20, TestContext.Current.CancellationToken);
        Assert.Contains(audit, a => a.Action == "simulation.started" && a.Detail.Contains("rows 300, drift thin-collateral", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Action == "simulation.finished" && a.Detail.StartsWith("finished", StringComparison.Ordinal));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string body)
    {
        var token = (await client.GetFromJsonAsync<DashboardApiEndpoints.AntiforgeryTokenResponse>("/api/dashboard/antiforgery", TestContext.Current.CancellationToken))!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/dashboard/simulations") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(token.Header, token.Token);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}

using System.Net;
using System.Text.Json;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Storage;
using LynqDashboard.Core.Training;
using LynqDashboard.Infrastructure;
using LynqDashboard.Infrastructure.Registry;
using LynqDashboard.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Cli.Tests;

/// <summary>
/// The whole monitoring loop as the risk team meets it: a production version in the real app, `lynq simulate` sending
/// 20,000 applications (and their outcomes) through the scoring API, a monitoring run over the dashboard API. Undrifted
/// traffic raises no stability alert and its back-test agrees with the PD; young wallets then move the population and the
/// next run says so on that feature; the ledger holds exactly what was sent.
/// </summary>
public sealed class SimulatedTrafficTests(ITestOutputHelper output)
{
    private const string ApiKey = "simulated-traffic-key-0123456789";
    private const string AdminEmail = "admin@lynq.test";
    private const string AdminPassword = "Test-Password-2026";
    private const int Rows = 20_000;

    [Fact]
    public async Task TwentyThousandDecisions_UndriftedStayGreenAndCalibrated_ThenYoungWalletsRaiseTheirCsiAlert()
    {
        using var folder = new TempFolder();
        var version = await TrainProductionVersionAsync(folder.Path);
        await using var app = await BuiltWebApp.StartAsync(folder.Path, new Dictionary<string, string>
        {
            ["LYNQ_API_KEYS"] = ApiKey, ["LYNQ_ADMIN_EMAIL"] = AdminEmail, ["LYNQ_ADMIN_PASSWORD"] = AdminPassword,
        }, timeout: TimeSpan.FromSeconds(90));
        using var dashboard = await SignInAsync(app);

        var (code, printed, error) = await CliRunner.RunAsync("simulate", "--url", app.BaseUrl, "--api-key", ApiKey, "--rows", Rows.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "5", "--outcomes");
        Assert.True(code == 0, $"simulate exited {code}: {error}{printed}");

        var calm = await RunMonitoringAsync(dashboard, version);
        Assert.Equal(Rows, calm.GetProperty("decisions").GetInt64());
        Assert.Equal(Rows, calm.GetProperty("with_outcome").GetInt64());
        Assert.DoesNotContain(Alerts(calm), a => a.Kind == "psi");
        Assert.True(calm.GetProperty("score_psi").GetDouble() < 0.1, $"score PSI {calm.GetProperty("score_psi").GetDouble()} for undrifted traffic");

        // The back-test over every vintage: the observed rate within three standard errors of the mean PD.
        var vintages = calm.GetProperty("vintages").EnumerateArray().ToList();
        var withOutcome = vintages.Sum(v => v.GetProperty("with_outcome").GetInt64());
        var defaults = vintages.Sum(v => v.GetProperty("defaults").GetInt64());
        var meanPd = vintages.Sum(v => v.GetProperty("mean_pd").GetDouble() * v.GetProperty("with_outcome").GetInt64()) / withOutcome;
        var standardError = Math.Sqrt(vintages.Sum(v => Math.Pow(v.GetProperty("standard_error").GetDouble() * v.GetProperty("with_outcome").GetInt64(), 2))) / withOutcome;
        Assert.Equal(Rows, withOutcome);
        Assert.InRange((double)defaults / withOutcome, meanPd - (3 * standardError), meanPd + (3 * standardError));
        Assert.DoesNotContain(Alerts(calm), a => a.Kind == "calibration");
        output.WriteLine($"undrifted: score PSI {calm.GetProperty("score_psi").GetDouble():0.0000}, largest CSI {calm.GetProperty("feature_csi").EnumerateObject().Max(f => f.Value.GetDouble()):0.0000}, "
            + $"observed {(double)defaults / withOutcome:P2} against mean PD {meanPd:P2} ± {standardError:P2} (1 s.e.), snapshot {calm.GetProperty("compute_seconds").GetDouble():0.00} s");

        (code, printed, error) = await CliRunner.RunAsync("simulate", "--url", app.BaseUrl, "--api-key", ApiKey, "--rows", Rows.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "6", "--drift", "young-wallets");
        Assert.True(code == 0, $"simulate exited {code}: {error}{printed}");

        // The ledger writes off the request path: what was answered a moment ago may still be on its way to the database.
        await WaitForTheLedgerAsync(dashboard, 2 * Rows);
        var moved = await RunMonitoringAsync(dashboard, version);
        Assert.Equal(2 * Rows, moved.GetProperty("decisions").GetInt64());
        output.WriteLine($"after 20,000 young wallets: score PSI {moved.GetProperty("score_psi").GetDouble():0.0000}, wallet_age_days CSI {moved.GetProperty("feature_csi").GetProperty("wallet_age_days").GetDouble():0.0000}, "
            + $"loan_amount CSI {moved.GetProperty("feature_csi").GetProperty("loan_amount").GetDouble():0.0000}");
        Assert.Contains(Alerts(moved), a => a is { Kind: "psi", Feature: "wallet_age_days" });
        Assert.Equal("red", moved.GetProperty("feature_lights").GetProperty("wallet_age_days").GetString());
        Assert.True(moved.GetProperty("feature_csi").GetProperty("loan_amount").GetDouble() < 0.1, "an undrifted feature stays stable");

        // Every decision sent is in the ledger, none dropped, under the ids the simulator named.
        using var page = JsonDocument.Parse(await dashboard.GetStringAsync($"/api/dashboard/decisions?take=1&version={version}"));
        Assert.Equal(2 * Rows, page.RootElement.GetProperty("total").GetInt64());
        Assert.StartsWith("sim-6-", page.RootElement.GetProperty("items")[0].GetProperty("request_id").GetString(), StringComparison.Ordinal);
        var metrics = await dashboard.GetStringAsync("/metrics");
        Assert.Contains("lynq_ledger_dropped_total 0", metrics, StringComparison.Ordinal);
        Assert.Matches(@"lynq_monitor_psi\{version=""" + version + @""",feature=""wallet_age_days""\} [0-9.]+", metrics);
    }

    private static async Task WaitForTheLedgerAsync(HttpClient dashboard, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string metrics;
        do
        {
            metrics = await dashboard.GetStringAsync("/metrics");
            if (metrics.Contains($"lynq_ledger_written_total {expected}", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"the ledger did not write {expected} decisions in 30 s: {string.Join(" | ", metrics.Split('\n').Where(l => l.StartsWith("lynq_ledger", StringComparison.Ordinal)))}");
    }

    private static IEnumerable<(string Kind, string? Feature)> Alerts(JsonElement snapshot) =>
        snapshot.GetProperty("alerts").EnumerateArray().Select(a => (a.GetProperty("kind").GetString()!, a.GetProperty("feature").GetString()));

    private static async Task<JsonElement> RunMonitoringAsync(HttpClient dashboard, int version)
    {
        using var token = JsonDocument.Parse(await dashboard.GetStringAsync("/api/dashboard/antiforgery"));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/dashboard/monitoring/run?version={version}");
        request.Headers.Add(token.RootElement.GetProperty("header").GetString()!, token.RootElement.GetProperty("token").GetString());
        using var response = await dashboard.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"monitoring run: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement[0].Clone();
    }

    private static async Task<HttpClient> SignInAsync(BuiltWebApp app)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        await FormSignIn.SignInAsync(client, AdminEmail, AdminPassword);
        return client;
    }

    // One 20,000-row version trained by the real workflows and in production, as an approved promotion leaves a registry
    // without a bucket (the four-eyes flow is tested on its own).
    private static async Task<int> TrainProductionVersionAsync(string root) =>
        (await TrainedRegistry.TrainAsync(root, new DatasetParameters(20_000, 3), [new TrainingParameters(Trees: 100)], v => v.Status = VersionStatus.Production))[0].Number;
}

using System.Net;
using System.Text;
using System.Text.Json;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Security;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Endpoints;

/// <summary>
/// Every scoring answer names the policy that decided it, and a saved policy decides the very next answer on every path.
/// No model is trained: the rule-based fallback gives this applicant PD 1 / (1 + e^3.75) = 2.3 % (reputation 75 takes
/// 0.6 off the logit of −2.4, collateral ratio 1.5 another 0.75), in the default policy's LOW band (2–5 %, approve).
/// Declining from 1 % squeezes the approving bands to end at 0.2, 0.5 and 1 %, so 2.3 % falls in HIGH: a manual review.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PolicyScoringTests
{
    private const string Applicant = """
        {"wallet_address":"0xabc","wallet_age_days":365,"total_transactions":150,"total_volume_usd":50000,"defi_interactions":25,
         "loan_amount":1000,"collateral_value_usd":1500,"term_months":3,"previous_loans":2,"successful_repayments":2,"defaults":0,"reputation_score":75}
        """;

    private const string Csv = "wallet_address,wallet_age_days,total_transactions,total_volume_usd,defi_interactions,loan_amount,collateral_value_usd,term_months,previous_loans,successful_repayments,defaults,reputation_score\n"
        + "0xabc,365,150,50000,25,1000,1500,3,2,2,0,75\n";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SavingAStricterPolicy_ChangesTheNextAnswerOnEveryPath_AnotherProcessesSaveArrives_AndARestartKeepsIt()
    {
        var data = Path.Combine(Path.GetTempPath(), "lynq-web-tests", Guid.NewGuid().ToString("N"));
        await using (var factory = Host(data))
        {
            using var client = Client(factory);

            var before = await AnswersAsync(client);

            Assert.All(before, a => Assert.Equal((2, "APPROVE", "band LOW: PD 2.3 % below 5 %"), a));
            Assert.Equal((2, 0.10), await ActivePolicyAsync(client));
            using (var anonymous = factory.CreateClient())
            {
                using var refused = await anonymous.GetAsync("/api/policy", Ct);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }

            await using (var scope = factory.Services.CreateAsyncScope())
            {
                CircuitUser.SignIn(scope.ServiceProvider, "approver@lynq.test", LynqRoles.Approver);
                var saved = await scope.ServiceProvider.GetRequiredService<DashboardActions>().SavePolicyAsync(RiskPolicy.Default.WithDeclineCutoff(0.01), "decline from 1 %");
                Assert.Equal(3, saved.Version);
            }

            var after = await AnswersAsync(client);

            Assert.All(after, a => Assert.Equal((3, "MANUAL_REVIEW", "band HIGH: PD 2.3 % below 20 %"), a));
            Assert.Equal((3, 0.01), await ActivePolicyAsync(client));

            // Another dashboard process on the same registry saves v4: this one picks it up within Lynq:Scoring:RefreshSeconds.
            await factory.Services.GetRequiredService<IPolicyRegistry>().SaveAsync(RiskPolicy.Default, "elsewhere@lynq.test", "back to the default");
            var active = factory.Services.GetRequiredService<ActivePolicy>();
            await Eventually.WaitForAsync(() => Task.FromResult<RiskPolicy?>(active.Current), p => p.Version == 4, TimeSpan.FromSeconds(10), "policy v4 to be read");
            Assert.All(await AnswersAsync(client), a => Assert.Equal((4, "APPROVE"), (a.PolicyVersion, a.Action)));
            factory.KeepData = true;
        }

        await using (var restarted = Host(data))
        {
            using var client = Client(restarted);
            Assert.All(await AnswersAsync(client), a => Assert.Equal(4, a.PolicyVersion));
        }
    }

    private static DashboardFactory Host(string data) => new() { DataDirectoryOverride = data, Settings = { ["Lynq:Scoring:ApiKeys:0"] = ScoringApiFixture.Key, ["Lynq:Scoring:RefreshSeconds"] = "1" } };

    private static HttpClient Client(DashboardFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-KEY", ScoringApiFixture.Key);
        return client;
    }

    // The same applicant through single JSON, batch JSON and batch.csv: (policy_version, recommended_action, decision_reason) of each.
    private static async Task<List<(int PolicyVersion, string Action, string Reason)>> AnswersAsync(HttpClient client)
    {
        var answers = new List<(int, string, string)>();
        using (var single = await client.PostAsync("/api/ml/credit-score", new StringContent(Applicant, Encoding.UTF8, "application/json"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, single.StatusCode);
            using var body = JsonDocument.Parse(await single.Content.ReadAsStringAsync(Ct));
            answers.Add(Of(body.RootElement));
        }

        using (var batch = await client.PostAsync("/api/ml/credit-score/batch", new StringContent($$"""{"applications":[{{Applicant}}]}""", Encoding.UTF8, "application/json"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
            using var body = JsonDocument.Parse(await batch.Content.ReadAsStringAsync(Ct));
            answers.Add(Of(body.RootElement.GetProperty("results")[0].GetProperty("result")));
        }

        using (var csv = await client.PostAsync("/api/ml/credit-score/batch.csv", new StringContent(Csv, Encoding.UTF8, "text/csv"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
            var lines = (await csv.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var header = lines[0].Split(',').ToList();
            var cells = lines[1].Split(',');
            answers.Add((int.Parse(cells[header.IndexOf("policy_version")], System.Globalization.CultureInfo.InvariantCulture),
                cells[header.IndexOf("recommended_action")], cells[header.IndexOf("decision_reason")].Trim('"')));
        }

        return answers;
    }

    private static async Task<(int Version, double DeclineCutoff)> ActivePolicyAsync(HttpClient client)
    {
        using var body = JsonDocument.Parse(await client.GetStringAsync("/api/policy", Ct));
        var r = body.RootElement;
        Assert.Equal(r.GetProperty("version").GetInt32(), r.GetProperty("policy").GetProperty("version").GetInt32());
        return (r.GetProperty("version").GetInt32(), r.GetProperty("decline_cutoff").GetDouble());
    }

    private static (int, string, string) Of(JsonElement result) =>
        (result.GetProperty("policy_version").GetInt32(), result.GetProperty("recommended_action").GetString()!, result.GetProperty("decision_reason").GetString()!);
}

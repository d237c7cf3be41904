using LynqDashboard.Core.Challengers;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Challengers;

/// <summary>The real app with an API key, v1 serving (asked for, approved, promoted) and v2 Ready beside it to be the challenger.</summary>
public sealed class ChallengerFixture : IAsyncLifetime
{
    public const string Key = "challenger-key-0123456789";

    public DashboardFactory Factory { get; } = new() { Settings = { ["Lynq:Scoring:ApiKeys:0"] = Key } };

    public int Production { get; private set; }

    public int Challenger { get; private set; }

    public HttpClient ScoringClient()
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-KEY", Key);
        return client;
    }

    public async ValueTask InitializeAsync()
    {
        Production = (await ServedVersion.TrainAndServeAsync(Factory.Services)).Number;
        var (_, queued) = await Factory.Services.GetRequiredService<RegistryCommands>().GenerateAndTrainAsync(new DatasetParameters(10_000, 8), new TrainingParameters(Trees: 60), "trainer@lynq.test");
        var registry = Factory.Services.GetRequiredService<IModelRegistry>();
        Challenger = (await Eventually.WaitForAsync(() => registry.GetVersionAsync(queued.Id), v => v.Status == VersionStatus.Ready, TimeSpan.FromSeconds(90), "the challenger")).Number;
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();

    /// <summary>The ledger rows of these request ids, once all of them were written.</summary>
    public async Task<Dictionary<string, DecisionRecord>> LedgerRowsAsync(IReadOnlyCollection<string> requestIds)
    {
        var store = Factory.Services.GetRequiredService<IDecisionStore>();
        var wanted = requestIds.ToHashSet(StringComparer.Ordinal);
        return await Eventually.WaitForAsync(async () =>
        {
            var found = new Dictionary<string, DecisionRecord>(StringComparer.Ordinal);
            await foreach (var entry in store.StreamAsync(new DecisionQuery(Channel: DecisionChannels.Api)))
            {
                if (wanted.Contains(entry.Decision.RequestId))
                {
                    found[entry.Decision.RequestId] = entry.Decision;
                }
            }

            return found;
        }, f => f.Count == wanted.Count, TimeSpan.FromSeconds(30), "the ledger to hold every decision sent");
    }

    /// <summary>Waits until this process scores with the assignments just made (the commands refresh at once; this guards the test).</summary>
    public Task WaitForChallengersAsync(Func<ChallengerModels, bool> ready) =>
        Eventually.WaitForAsync(() => Task.FromResult<ChallengerModels?>(Factory.Services.GetRequiredService<ActiveChallengers>().Current), ready, TimeSpan.FromSeconds(30), "the challengers to load");

    /// <summary>An application as the API takes it.</summary>
    public static Dictionary<string, object?> Body(LoanApplication a) => new()
    {
        ["wallet_address"] = a.WalletAddress, ["wallet_age_days"] = a.WalletAgeDays, ["total_transactions"] = a.TotalTransactions,
        ["total_volume_usd"] = a.TotalVolumeUsd, ["defi_interactions"] = a.DefiInteractions, ["loan_amount"] = a.LoanAmount,
        ["collateral_value_usd"] = a.CollateralValueUsd, ["term_months"] = a.TermMonths, ["previous_loans"] = a.PreviousLoans,
        ["successful_repayments"] = a.SuccessfulRepayments, ["defaults"] = a.Defaults, ["reputation_score"] = a.ReputationScore,
    };
}

using LynqDashboard.Core;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Infrastructure.Registry;
using LynqDashboard.Tests.Shared;

namespace LynqDashboard.Infrastructure.Tests.Registry;

/// <summary>The risk policy's versions in the registry: seeded once, numbered on save, audited, stored whole.</summary>
public abstract class EfPolicyRegistryTests
{
    // A policy unlike both seeded ones in every field, so a field the JSON dropped would show.
    private static readonly RiskPolicy Edited = RiskPolicy.Default with
    {
        Name = "stricter",
        Version = 77,
        BaseRatePercent = 6.5,
        CollateralCap = 0.7,
        MinCollateralRatio = 1.2,
        FraudReviewScore = 0.6,
        CapLoanAtMaximum = false,
        Bands =
        [
            new(RiskLevel.VERY_LOW, 0.005, RecommendedAction.APPROVE, 0.5, 1.0),
            new(RiskLevel.LOW, 0.01, RecommendedAction.APPROVE_WITH_CONDITIONS, 2.5, 0.9),
            new(RiskLevel.VERY_HIGH, 1.0, RecommendedAction.REJECT, 15, 0.25),
        ],
    };

    protected abstract Task<RegistryFixture> CreateFixtureAsync();

    [Fact]
    public async Task Seed_EmptyRegistry_StoresTheLynqOriginalAsV1AndTheConfiguredAsV2Active_AndOnlyOnce()
    {
        await using var fixture = await CreateFixtureAsync();
        var policies = new EfPolicyRegistry(fixture.Contexts, TimeProvider.System);
        var configured = RiskPolicy.Default with { Name = "configured", BaseRatePercent = 4 };

        var active = await policies.SeedAsync(RiskPolicy.LynqOriginal, configured);
        var again = await policies.SeedAsync(RiskPolicy.LynqOriginal, RiskPolicy.Default with { Name = "other" });

        Assert.Equal((2, "configured"), (active.Version, active.Name));
        Assert.Equal((2, "configured"), (again.Version, again.Name));
        var history = await policies.ListAsync();
        Assert.Equal([2, 1], history.Select(p => p.Version));
        Assert.Equal(RiskPolicy.LynqOriginal.Bands, history[1].ToPolicy().Bands);
        Assert.Equal(1, history[1].ToPolicy().Version);
        Assert.Equal(0.5, history[1].ToPolicy().DeclineCutoff); // MEDIUM (25–50 %) still approves with conditions
        Assert.Equal(4, history[0].ToPolicy().BaseRatePercent);
        Assert.Equal("system", history[0].CreatedBy);
    }

    [Fact]
    public async Task Save_AfterSeed_IsV3Active_WithAPolicySavedAuditLine_AndTheWholePolicyRoundTrips()
    {
        await using var fixture = await CreateFixtureAsync();
        var policies = new EfPolicyRegistry(fixture.Contexts, TimeProvider.System);
        var audit = new EfPromotionRegistry(fixture.Contexts, TimeProvider.System);
        await policies.SeedAsync(RiskPolicy.LynqOriginal, RiskPolicy.Default);

        var saved = await policies.SaveAsync(Edited, "approver@lynq.test", "  tighter after Q3  ");
        var fourth = await policies.SaveAsync(RiskPolicy.Default, "approver@lynq.test", string.Empty);

        Assert.Equal((3, "stricter", "approver@lynq.test", "tighter after Q3"), (saved.Version, saved.Name, saved.CreatedBy, saved.Note));
        Assert.Equal(4, fourth.Version);
        Assert.Equal(4, (await policies.GetActiveAsync())!.Version);
        var stored = (await policies.ListAsync()).Single(p => p.Version == 3).ToPolicy();
        Assert.Equal(Edited with { Version = 3, Bands = stored.Bands }, stored);
        Assert.Equal(Edited.Bands, stored.Bands);
        var line = (await audit.ListAsync()).Where(e => e.Action == EfPolicyRegistry.SavedAction).Last();
        Assert.Equal(("approver@lynq.test", "policy v3"), (line.Actor, line.Subject));
        Assert.Equal("stricter; decline from 1.0 %; tighter after Q3", line.Detail);
    }

    [Fact]
    public async Task Save_InvalidPolicy_IsRefusedNamingTheField_AndStoresNothing()
    {
        await using var fixture = await CreateFixtureAsync();
        var policies = new EfPolicyRegistry(fixture.Contexts, TimeProvider.System);
        await policies.SeedAsync(RiskPolicy.LynqOriginal, RiskPolicy.Default);
        var broken = RiskPolicy.Default with { Bands = [.. RiskPolicy.Default.Bands.Select((b, i) => i == 2 ? b with { UpperPd = 0.03 } : b)] };

        var error = await Assert.ThrowsAsync<LynqException>(() => policies.SaveAsync(broken, "approver@lynq.test", "x"));

        Assert.Equal((ProblemKind.Invalid, "Bands:2:UpperPd"), (error.Kind, error.Field));
        Assert.Equal(2, (await policies.GetActiveAsync())!.Version);
    }

    [Fact]
    public async Task SeedAndSave_ManyAtOnce_NeverShareAVersionNumber_AndALoserIsToldInWords()
    {
        await using var fixture = await CreateFixtureAsync();
        var policies = new EfPolicyRegistry(fixture.Contexts, TimeProvider.System);

        // Several processes starting together each seed; several Approvers save at the same moment.
        var seeds = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => policies.SeedAsync(RiskPolicy.LynqOriginal, RiskPolicy.Default))));
        var saves = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            try
            {
                return (await policies.SaveAsync(RiskPolicy.Default.WithDeclineCutoff(0.05 + (i / 100.0)), $"a{i}@lynq.test", string.Empty)).Version;
            }
            catch (LynqException e) when (e.Kind == ProblemKind.Conflict)
            {
                Assert.Contains("reload the page", e.Message, StringComparison.Ordinal);
                return 0;
            }
        })));

        Assert.All(seeds, s => Assert.Equal(2, s.Version));
        var stored = (await policies.ListAsync()).Select(p => p.Version).ToList();
        var won = saves.Where(v => v > 0).Order().ToList();
        Assert.NotEmpty(won);
        Assert.Equal(Enumerable.Range(1, 2 + won.Count).Reverse(), stored);
        Assert.Equal(Enumerable.Range(3, won.Count), won);
    }

    [Fact]
    public async Task GetActive_BeforeSeed_IsNull()
    {
        await using var fixture = await CreateFixtureAsync();
        var policies = new EfPolicyRegistry(fixture.Contexts, TimeProvider.System);

        Assert.Null(await policies.GetActiveAsync());
        Assert.Empty(await policies.ListAsync());
    }
}

public sealed class SqliteEfPolicyRegistryTests : EfPolicyRegistryTests
{
    protected override Task<RegistryFixture> CreateFixtureAsync() => RegistryFixture.CreateAsync();
}

public sealed class PostgresEfPolicyRegistryTests(PostgresServerFixture server) : EfPolicyRegistryTests, IClassFixture<PostgresServerFixture>
{
    protected override async Task<RegistryFixture> CreateFixtureAsync() => await RegistryFixture.CreateAsync(await server.CreateDatabaseAsync());
}

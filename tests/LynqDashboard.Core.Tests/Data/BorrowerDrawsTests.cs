using LynqDashboard.Core.Data;
using MathNet.Numerics.Random;

namespace LynqDashboard.Core.Tests.Data;

public sealed class BorrowerDrawsTests
{
    private const int Samples = 200_000;
    private static readonly BorrowerDraws[] Draws = Sample();

    [Fact]
    public void Sample_WalletAge_HasGammaMeanOfAThousandDays()
    {
        Assert.InRange(Draws.Average(d => d.WalletAgeDays), 985, 1015);
        Assert.All(Draws, d => Assert.True(d.WalletAgeDays >= 0));
    }

    [Fact]
    public void Sample_DebtToIncome_HasBetaMeanOf28Point6Percent()
    {
        Assert.InRange(Draws.Average(d => d.DebtToIncomePercent), 28.3, 28.9);
        Assert.All(Draws, d => Assert.InRange(d.DebtToIncomePercent, 0, 100));
    }

    [Fact]
    public void Sample_Utilization_StaysWithinTenToNinetyFivePercent()
    {
        Assert.All(Draws, d => Assert.InRange(d.CollateralUtilization, 0.10, 0.95));
        Assert.InRange(Draws.Average(d => d.CollateralUtilization), 0.52, 0.53);
    }

    [Fact]
    public void Sample_OtherDraws_MatchTheirDistributions()
    {
        Assert.InRange(Draws.Average(d => Math.Log(d.MonthlyIncomeUsd)), 8.49, 8.51);
        Assert.InRange(Draws.Average(d => d.ProtocolLoyalty), 197, 203);
        Assert.InRange(Draws.Average(d => d.Velocity24h), 4.98, 5.02);
        Assert.InRange(Draws.Average(d => d.GasPriceZ), -0.01, 0.01);
        Assert.InRange(Draws.Average(d => d.UniqueContracts), 14.95, 15.05);
        Assert.InRange(Draws.Average(d => d.LiquidationRisk), 0.0899, 0.0919);
        Assert.InRange(Draws.Average(d => d.MarketVolatility), 49.9, 50.1);
        var sd = Math.Sqrt(Draws.Average(d => Math.Pow(d.MarketVolatility - 50, 2)));
        Assert.InRange(sd, 14.9, 15.1);
    }

    [Fact]
    public void RiskScore_WeightsTheFiveFactorsAsTheRecipeSays()
    {
        var draws = new BorrowerDraws(999, 5000, 50, 0, 0.4, 25, 0, 15, 0.2, 50);
        var expected = (0.30 * 0.5) + (0.25 * 0.4) + (0.15 * (1000.0 / 1000 / 5)) + (0.20 * 0.2) + 0.10;
        Assert.Equal(expected, draws.RiskScore, 12);
    }

    private static BorrowerDraws[] Sample()
    {
        var rng = new Xoshiro256StarStar(7, threadSafe: false);
        return [.. Enumerable.Range(0, Samples).Select(_ => BorrowerDraws.Sample(rng))];
    }
}

using MathNet.Numerics.Distributions;

namespace LynqDashboard.Core.Data;

/// <summary>The ten raw borrower draws of the LYNQ recipe (DESIGN.md). Most never reach the model directly.</summary>
public readonly record struct BorrowerDraws(
    int WalletAgeDays,
    double MonthlyIncomeUsd,
    double DebtToIncomePercent,
    double ProtocolLoyalty,
    double CollateralUtilization,
    int Velocity24h,
    double GasPriceZ,
    int UniqueContracts,
    double LiquidationRisk,
    double MarketVolatility)
{
    /// <summary>Draws one borrower; the order of draws is part of the determinism contract.</summary>
    public static BorrowerDraws Sample(Random rng) => new(
        WalletAgeDays: (int)Math.Round(Gamma.Sample(rng, 2.0, 1.0 / 500.0)),
        MonthlyIncomeUsd: LogNormal.Sample(rng, 8.5, 1.0),
        DebtToIncomePercent: Beta.Sample(rng, 2.0, 5.0) * 100.0,
        ProtocolLoyalty: Exponential.Sample(rng, 1.0 / 200.0),
        CollateralUtilization: ContinuousUniform.Sample(rng, 0.10, 0.95),
        Velocity24h: Poisson.Sample(rng, 5.0),
        GasPriceZ: Normal.Sample(rng, 0.0, 1.0),
        UniqueContracts: Poisson.Sample(rng, 15.0),
        LiquidationRisk: Beta.Sample(rng, 1.0, 10.0),
        MarketVolatility: Normal.Sample(rng, 50.0, 15.0));

    /// <summary>1000/(age+1), capped at 5 and scaled to [0, 1]: young wallets are riskier.</summary>
    public double WalletAgeRisk => WalletAgeRiskOf(WalletAgeDays);

    public bool VelocityAnomaly => Velocity24h > 20;

    /// <summary>The part of the risk a lender cannot see directly (DTI and liquidation risk), in [0, 1].</summary>
    public double HiddenRisk => ((0.30 * DebtToIncomePercent / 100.0) + (0.20 * LiquidationRisk)) / 0.50;

    /// <summary>The LYNQ weighted risk score: DTI 30 %, utilization 25 %, wallet age 15 %, liquidation 20 %, velocity anomaly 10 %.</summary>
    public double RiskScore =>
        (0.30 * DebtToIncomePercent / 100.0)
        + (0.25 * CollateralUtilization)
        + (0.15 * WalletAgeRisk)
        + (0.20 * LiquidationRisk)
        + (0.10 * (VelocityAnomaly ? 1.0 : 0.0));

    public static double WalletAgeRiskOf(double walletAgeDays) => Math.Min(1000.0 / (walletAgeDays + 1.0), 5.0) / 5.0;
}

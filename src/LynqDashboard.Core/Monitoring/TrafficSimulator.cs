using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using MathNet.Numerics.Distributions;

namespace LynqDashboard.Core.Monitoring;

/// <summary>One simulated application: what is sent for scoring, the generator's true PD and the outcome drawn from it.</summary>
/// <param name="Index">Its 0-based position in the run.</param>
/// <param name="Application">The 11 supplied fields, as a caller sends them.</param>
/// <param name="TruePd">The generator's true default probability of these features (after the drift).</param>
/// <param name="Defaulted">The outcome: a Bernoulli draw at <paramref name="TruePd"/> (at twice it, capped at 1, for default-rate-x2).</param>
public sealed record SimulatedApplication(int Index, LoanApplication Application, double TruePd, bool Defaulted);

/// <summary>
/// Draws production-like traffic from the LYNQ generator (the same <see cref="LoanSynthesizer"/> that makes training
/// data), optionally drifted. The rows come from <see cref="DatasetGenerator"/> with a seed derived from the
/// simulation's, so seed 42 here is not training seed 42 row for row (an undrifted run would otherwise compare a
/// dataset with itself). A drift moves its features after the draw, and the true PD is read again from the moved
/// features with the generator's own risk model, so a drifted population is riskier, not mislabelled; only
/// default-rate-x2 breaks the link between PD and outcome. Same (rows, seed, drift), same applications and outcomes.
/// </summary>
public sealed class TrafficSimulator
{
    public const int MaxRows = DatasetParameters.MaxRows;

    // Streams of the simulator's own random draws, apart from the generator's chunk streams.
    private const long DriftStream = 0x51D0_0001;
    private const long OutcomeStream = 0x51D0_0002;
    private const long SeedSalt = 0x7A4F_F1C5_EED5_1A7EL;

    private readonly LoanSynthesizer _synthesizer;

    /// <param name="rows">How many applications, 1 to <see cref="MaxRows"/>.</param>
    /// <param name="seed">Any 64-bit integer; the only source of randomness.</param>
    /// <param name="drift">How the traffic departs from training (default none).</param>
    /// <param name="defaultRate">The generator's target default rate the true PD is calibrated to (default 0.08, the training default).</param>
    public TrafficSimulator(int rows, long seed, TrafficDrift drift = TrafficDrift.None, double defaultRate = DatasetParameters.DefaultDefaultRate)
    {
        if (!Enum.IsDefined(drift))
        {
            throw LynqException.Invalid("drift", TrafficDrifts.Expected);
        }

        Parameters = new DatasetParameters(rows, unchecked(seed ^ SeedSalt), defaultRate);
        Parameters.EnsureValid();
        Seed = seed;
        Drift = drift;
        _synthesizer = LoanSynthesizer.For(LabelMode.Probabilistic, defaultRate);
    }

    public int Rows => Parameters.Rows;

    public long Seed { get; }

    public TrafficDrift Drift { get; }

    /// <summary>What the underlying generator is asked for.</summary>
    public DatasetParameters Parameters { get; }

    /// <summary>Every application in order, one generator chunk in memory at a time.</summary>
    public IEnumerable<SimulatedApplication> Applications()
    {
        var driftRandom = LoanSynthesizer.CreateRandom(Seed, DriftStream);
        var outcomeRandom = LoanSynthesizer.CreateRandom(Seed, OutcomeStream);
        var index = 0;
        foreach (var generated in new DatasetGenerator(Parameters).Rows())
        {
            var loan = generated;
            Apply(driftRandom, ref loan);
            var outcomeRate = Drift == TrafficDrift.DefaultRateX2 ? Math.Min(1.0, 2.0 * loan.TruePd) : loan.TruePd;
            var defaulted = outcomeRandom.NextDouble() < outcomeRate;
            var row = loan;
            var application = LoanApplication.From($"sim-{Seed}-{index}", spec => row.Get(spec));
            yield return new SimulatedApplication(index++, application, loan.TruePd, defaulted);
        }
    }

    private void Apply(Random random, ref GeneratedLoan loan)
    {
        switch (Drift)
        {
            case TrafficDrift.YoungWallets:
                loan.WalletAgeDays = (int)Math.Round(Gamma.Sample(random, 2.0, 1.0 / 30.0));
                break;
            case TrafficDrift.ThinCollateral:
                loan.CollateralValueUsd = Math.Round(loan.LoanAmount * ContinuousUniform.Sample(random, 0.7, 1.2), 2, MidpointRounding.AwayFromZero);
                break;
            default:
                return;
        }

        loan.TruePd = _synthesizer.TruePdOf(loan);
    }
}

namespace LynqDashboard.Core.Features;

/// <summary>
/// One loan application as a caller supplies it: the 11 LYNQ fields (collateral_ratio is computed). The values are
/// kept by feature index, so reading, changing and validating a field goes through its <see cref="FeatureSpec"/>;
/// the named properties are for code that means one field.
/// </summary>
public sealed record LoanApplication
{
    // Indexed by FeatureSpec.Index; collateral_ratio (the last feature) is computed, never stored.
    private readonly double[] _values;

    /// <summary>An application with every optional field at its default and every required one at 0.</summary>
    public LoanApplication()
    {
        _values = new double[LoanFeatures.Supplied.Count];
        foreach (var spec in LoanFeatures.Supplied)
        {
            _values[spec.Index] = spec.Default ?? 0;
        }
    }

    // `with` copies: each copy gets its own values, so changing one never changes the other.
    private LoanApplication(LoanApplication original)
    {
        WalletAddress = original.WalletAddress;
        _values = (double[])original._values.Clone();
    }

    public string? WalletAddress { get; init; }

    public int WalletAgeDays { get => Whole(LoanFeatures.WalletAgeDays); init => Store(LoanFeatures.WalletAgeDays, value); }

    public int TotalTransactions { get => Whole(LoanFeatures.TotalTransactions); init => Store(LoanFeatures.TotalTransactions, value); }

    public double TotalVolumeUsd { get => _values[LoanFeatures.TotalVolumeUsd.Index]; init => Store(LoanFeatures.TotalVolumeUsd, value); }

    public int DefiInteractions { get => Whole(LoanFeatures.DefiInteractions); init => Store(LoanFeatures.DefiInteractions, value); }

    public double LoanAmount { get => _values[LoanFeatures.LoanAmount.Index]; init => Store(LoanFeatures.LoanAmount, value); }

    public double CollateralValueUsd { get => _values[LoanFeatures.CollateralValueUsd.Index]; init => Store(LoanFeatures.CollateralValueUsd, value); }

    public int TermMonths { get => Whole(LoanFeatures.TermMonths); init => Store(LoanFeatures.TermMonths, value); }

    public int PreviousLoans { get => Whole(LoanFeatures.PreviousLoans); init => Store(LoanFeatures.PreviousLoans, value); }

    public int SuccessfulRepayments { get => Whole(LoanFeatures.SuccessfulRepayments); init => Store(LoanFeatures.SuccessfulRepayments, value); }

    public int Defaults { get => Whole(LoanFeatures.Defaults); init => Store(LoanFeatures.Defaults, value); }

    public int ReputationScore { get => Whole(LoanFeatures.ReputationScore); init => Store(LoanFeatures.ReputationScore, value); }

    public double CollateralRatio => LoanFeatures.ComputeCollateralRatio(LoanAmount, CollateralValueUsd);

    /// <summary>The LYNQ example applicant, used as the form default and the promotion smoke test.</summary>
    public static LoanApplication Example { get; } = new()
    {
        WalletAddress = "0x0000000000000000000000000000000000000001",
        WalletAgeDays = 365,
        TotalTransactions = 150,
        TotalVolumeUsd = 50_000,
        DefiInteractions = 25,
        LoanAmount = 1_000,
        CollateralValueUsd = 1_500,
        TermMonths = 3,
        PreviousLoans = 2,
        SuccessfulRepayments = 2,
        Defaults = 0,
        ReputationScore = 75,
    };

    /// <summary>An application from values already checked against their specs (see <see cref="Validate"/>).</summary>
    /// <param name="walletAddress">The caller's wallet address or id.</param>
    /// <param name="value">The value of each supplied feature; absent optional ones are not asked for.</param>
    public static LoanApplication From(string? walletAddress, Func<FeatureSpec, double> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var application = new LoanApplication { WalletAddress = walletAddress };
        foreach (var spec in LoanFeatures.Supplied)
        {
            application.Store(spec, value(spec));
        }

        return application;
    }

    /// <summary>The value of one feature (collateral_ratio computed).</summary>
    public double Get(FeatureSpec feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return feature.IsComputed ? CollateralRatio : _values[feature.Index];
    }

    /// <summary>A copy with one supplied feature changed (whole-number features are rounded).</summary>
    public LoanApplication With(FeatureSpec feature, double value)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (feature.IsComputed)
        {
            throw new ArgumentException($"{feature.Name} is computed and cannot be set.", nameof(feature));
        }

        var copy = new LoanApplication(this);
        copy.Store(feature, value);
        return copy;
    }

    /// <summary>Writes the 12 features in model order into <paramref name="destination"/>.</summary>
    public void CopyFeaturesTo(Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, LoanFeatures.Count, nameof(destination));
        for (var i = 0; i < LoanFeatures.SuppliedCount; i++)
        {
            destination[i] = (float)_values[i];
        }

        destination[LoanFeatures.CollateralRatio.Index] = (float)CollateralRatio;
    }

    /// <summary>Every rule the application breaks, as (field, message) pairs; empty when valid.</summary>
    public IReadOnlyList<(string Field, string Message)> Validate() =>
        [.. LoanFeatures.Supplied.Select(spec => (spec.Name, Message: spec.Check(Get(spec)))).Where(e => e.Message is not null).Select(e => (e.Name, e.Message!))];

    /// <summary>
    /// What does not add up without being invalid: more repayments and defaults than loans taken. Such an answer is
    /// scored (the fields are each in range) but says so, since no training row looked like it.
    /// </summary>
    public IReadOnlyList<FieldProblem> Warnings() =>
        SuccessfulRepayments + Defaults > PreviousLoans
            ? [new FieldProblem(LoanFeatures.PreviousLoans.Name,
                $"successful_repayments ({SuccessfulRepayments:N0}) + defaults ({Defaults:N0}) exceed previous_loans ({PreviousLoans:N0}): the history is impossible, so the PD is less reliable")]
            : NoWarnings;

    private static readonly FieldProblem[] NoWarnings = [];

    public bool Equals(LoanApplication? other) =>
        other is not null && WalletAddress == other.WalletAddress && _values.AsSpan().SequenceEqual(other._values);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(WalletAddress);
        foreach (var value in _values)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    private int Whole(FeatureSpec feature) => (int)_values[feature.Index];

    private void Store(FeatureSpec feature, double value) => _values[feature.Index] = feature.IsInteger ? Math.Round(value) : value;
}

using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Challengers;

/// <summary>A version scoring every request in the shadow of production: its answers go to the ledger only.</summary>
public sealed record ShadowAssignment(int Version, string SetBy, DateTimeOffset SetAt);

/// <summary>An A/B split: <paramref name="Percent"/> of wallets are answered by <paramref name="Version"/> instead of production.</summary>
public sealed record SplitAssignment(int Version, double Percent, string SetBy, DateTimeOffset SetAt);

/// <summary>The challengers loaded for scoring now; each null when none is set (or it could not be loaded).</summary>
/// <param name="Shadow">The shadow model and its registry number.</param>
/// <param name="Split">The split's challenger model, its number and share.</param>
public sealed record ChallengerModels(ShadowModel? Shadow, SplitModel? Split)
{
    public static ChallengerModels None { get; } = new(null, null);
}

public sealed record ShadowModel(ScoringModel Model, int Number);

public sealed record SplitModel(ScoringModel Model, int Number, double Percent);

/// <summary>
/// Holds the challengers and swaps them atomically, like <see cref="ActiveModel"/> for production: a request reads
/// <see cref="Current"/> once, so its answer and its shadow come from one pair of models.
/// </summary>
public sealed class ActiveChallengers
{
    private ChallengerModels _current = ChallengerModels.None;

    public ChallengerModels Current => Volatile.Read(ref _current);

    /// <summary>Shadow answers that could not be computed (the request was answered and recorded without them).</summary>
    public long ShadowFailures => Interlocked.Read(ref _shadowFailures);

    private long _shadowFailures;

    public void Swap(ChallengerModels next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Volatile.Write(ref _current, next);
    }

    internal void CountShadowFailure() => Interlocked.Increment(ref _shadowFailures);
}

/// <summary>Which model answers one application, and the arm the answer reports.</summary>
/// <param name="Model">The answering model (null: the fallback).</param>
/// <param name="Number">Its registry number.</param>
/// <param name="Arm">"champion" or "challenger" while a split runs; null without one.</param>
public readonly record struct ScoringRoute(ScoringModel? Model, int? Number, string? Arm);

/// <summary>The one place every scoring path asks which model answers an application.</summary>
public static class ChallengerRouting
{
    public static ScoringRoute For(Features.LoanApplication application, ServingModel serving, ChallengerModels challengers)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(serving);
        ArgumentNullException.ThrowIfNull(challengers);
        if (challengers.Split is not { } split)
        {
            return new ScoringRoute(serving.Model, serving.Number, null);
        }

        return WalletSplit.IsChallenger(application.WalletAddress, split.Percent)
            ? new ScoringRoute(split.Model, split.Number, ExperimentArms.Challenger)
            : new ScoringRoute(serving.Model, serving.Number, ExperimentArms.Champion);
    }
}

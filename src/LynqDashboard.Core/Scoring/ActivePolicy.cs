namespace LynqDashboard.Core.Scoring;

/// <summary>
/// The risk policy every scoring path uses now. A request reads <see cref="Current"/> once, so one answer never mixes two
/// policies; saving a new policy version swaps it for the next request.
/// </summary>
public sealed class ActivePolicy(RiskPolicy initial)
{
    private RiskPolicy _current = initial ?? throw new ArgumentNullException(nameof(initial));

    public ActivePolicy()
        : this(RiskPolicy.Default)
    {
    }

    public RiskPolicy Current => Volatile.Read(ref _current);

    public void Swap(RiskPolicy next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Volatile.Write(ref _current, next);
    }
}

namespace LynqDashboard.Core.Scoring;

/// <summary>What is answering scoring requests now, for /health, /model/info and the dashboard.</summary>
/// <param name="Model">The loaded model; null while the rule-based fallback answers.</param>
/// <param name="Source">"local" (the registry) or "s3".</param>
/// <param name="Selection">Why this version: "production" (approved), or "none" while the rule-based fallback answers.</param>
/// <param name="Number">Registry version number, when known.</param>
/// <param name="LoadedAt">When it was swapped in.</param>
/// <param name="PromotedAt">When it was promoted to production; null for the fallback.</param>
public sealed record ServingModel(ScoringModel? Model, string Source, string Selection, int? Number, DateTimeOffset LoadedAt, DateTimeOffset? PromotedAt = null)
{
    public static ServingModel Fallback(DateTimeOffset now) => new(null, "local", "none", null, now);
}

/// <summary>
/// Holds the serving model and swaps it atomically. A request reads <see cref="Current"/> once and uses that
/// snapshot for everything it computes, so no answer mixes two models, and a swap never fails a request.
/// </summary>
public sealed class ActiveModel(TimeProvider clock)
{
    private ServingModel _current = ServingModel.Fallback(clock.GetUtcNow());

    public ServingModel Current => Volatile.Read(ref _current);

    /// <summary>The last load that failed, in words; the previous model kept serving. Null after a success.</summary>
    public string? LastError { get; private set; }

    /// <summary>
    /// Raised after <see cref="Current"/> or <see cref="LastError"/> changed, on the thread that changed it, so what
    /// shows the serving model (a page's banner) can redraw. Handlers must be quick and must not throw.
    /// </summary>
    public event Action? Changed;

    public void Swap(ServingModel next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Volatile.Write(ref _current, next);
        LastError = null;
        Changed?.Invoke();
    }

    public void ReportFailure(string message)
    {
        // A failing source reports on every refresh; only news redraws the pages.
        if (LastError != message)
        {
            LastError = message;
            Changed?.Invoke();
        }
    }
}

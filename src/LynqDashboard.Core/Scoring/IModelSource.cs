namespace LynqDashboard.Core.Scoring;

/// <summary>Where the serving model comes from (the registry, or S3 for a scoring node); checked again and again.</summary>
public interface IModelSource
{
    /// <summary>Loads and swaps in the model that should serve now, if it changed. True when it swapped.</summary>
    Task<bool> RefreshAsync(CancellationToken cancellationToken = default);
}

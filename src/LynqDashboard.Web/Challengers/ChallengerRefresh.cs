using System.Text.Json;
using LynqDashboard.Core.Challengers;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Web.Configuration;
using LynqDashboard.Web.Scoring;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Challengers;

/// <summary>
/// Keeps <see cref="ActiveChallengers"/> in step with the stored assignments: loads the shadow and split versions off the
/// request path (through <see cref="ScoringModels"/>, which keeps each loaded model) and swaps them in. A version that
/// was deleted or fails to load is left out with a warning; production keeps answering whatever happens here.
/// </summary>
/// <remarks>A scoring node with MODEL_SOURCE=s3 follows the shadow and split pointers beside its production pointer instead.</remarks>
public sealed class ChallengerRefresh(
    IMonitoringStore settings, ScoringModels models, ActiveChallengers active, IOptions<ScoringOptions> scoring, IServiceProvider services, ILogger<ChallengerRefresh> logger) : IDisposable
{
    private readonly SemaphoreSlim _refreshing = new(1, 1);

    /// <summary>The stored assignments (the registry's settings "challengers.shadow" and "challengers.split").</summary>
    public static async Task<ChallengerState> ReadAsync(IMonitoringStore settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new(await ReadAsync<ShadowAssignment>(settings, ChallengerCommands.ShadowKey, cancellationToken),
            await ReadAsync<SplitAssignment>(settings, ChallengerCommands.SplitKey, cancellationToken));
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (scoring.Value.UsesS3)
        {
            foreach (var warning in await services.GetRequiredService<Infrastructure.Storage.S3ChallengerSource>().RefreshAsync(cancellationToken))
            {
                logger.LogWarning("{Warning}", warning);
            }

            return;
        }

        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            var state = await ReadAsync(settings, cancellationToken);
            var current = active.Current;
            var shadow = state.Shadow is { } s ? await LoadAsync(s.Version, "shadow", cancellationToken) is { } sm ? new ShadowModel(sm, s.Version) : null : null;
            var split = state.Split is { } p ? await LoadAsync(p.Version, "split challenger", cancellationToken) is { } pm ? new SplitModel(pm, p.Version, p.Percent) : null : null;
            if (shadow != current.Shadow || split != current.Split)
            {
                active.Swap(new ChallengerModels(shadow, split));
                logger.LogInformation("Challengers now: shadow {Shadow}, split {Split}", shadow?.Number, split is null ? null : $"v{split.Number} at {split.Percent}%");
            }
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public void Dispose() => _refreshing.Dispose();

    private async Task<Core.Scoring.ScoringModel?> LoadAsync(int number, string role, CancellationToken cancellationToken)
    {
        try
        {
            var model = await models.GetAsync(number, cancellationToken);
            if (model is null)
            {
                logger.LogWarning("The {Role} v{Number} is no longer usable (deleted or not Ready); it is left out", role, number);
            }

            return model;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The {Role} v{Number} could not be loaded; it is left out", role, number);
            return null;
        }
    }

    private static async Task<T?> ReadAsync<T>(IMonitoringStore settings, string key, CancellationToken cancellationToken)
        where T : class
    {
        var stored = await settings.GetSettingAsync(key, cancellationToken);
        return stored is { Value.Length: > 0 } ? JsonSerializer.Deserialize<T>(stored.Value, LynqJson.Compact) : null;
    }
}

/// <summary>Refreshes the challengers at start and every Lynq:Scoring:RefreshSeconds, as the serving model is.</summary>
public sealed class ChallengerRefreshService(ChallengerRefresh refresh, IOptions<ScoringOptions> options, ILogger<ChallengerRefreshService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RefreshSeconds));
        do
        {
            try
            {
                await refresh.RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Checking the shadow and split failed; will retry");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

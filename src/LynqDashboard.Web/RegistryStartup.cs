using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Infrastructure.Registry;
using Microsoft.EntityFrameworkCore;

namespace LynqDashboard.Web;

/// <summary>
/// At start-up: create the data folder, bring the registry to the current schema, and mark runs that a killed
/// process left Running as Interrupted (in-memory job storage forgets them, so nothing would ever finish them).
/// </summary>
public sealed class RegistryStartup(
    DataDirectory data,
    IDbContextFactory<RegistryDbContext> contexts,
    IModelRegistry registry,
    IPromotionRegistry promotions,
    ILogger<RegistryStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        data.EnsureCreated();
        await RegistryDatabase.MigrateAsync(contexts, cancellationToken).ConfigureAwait(false);
        var interrupted = await registry.MarkInterruptedAsync("The dashboard stopped while this was running; retry it.", cancellationToken).ConfigureAwait(false);
        interrupted += await promotions.MarkPromotionsInterruptedAsync("The dashboard stopped during this; the pointer is where the last completed step left it. Retry it.", cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Data directory {DataDirectory}; {Interrupted} unfinished run(s) marked interrupted", data.Root, interrupted);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

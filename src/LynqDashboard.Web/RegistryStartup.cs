using Hangfire;
using LynqDashboard.Core.Registry;
using LynqDashboard.Infrastructure.Registry;
using LynqDashboard.Web.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Web;

/// <summary>
/// At start-up: create the data folder, remove what a killed process left half-written in it, and bring the registry to the current schema, waiting up to
/// Lynq:Storage:StartupWaitSeconds for a database that is still starting. With in-memory jobs, runs a killed process
/// left Running are marked Interrupted (nothing would ever finish them); with durable jobs they are left alone,
/// because a worker picks their jobs up again.
/// </summary>
public sealed class RegistryStartup(
    DataDirectory data,
    IDbContextFactory<RegistryDbContext> contexts,
    IModelRegistry registry,
    IPromotionRegistry promotions,
    JobDurability durability,
    IOptions<StorageOptions> storage,
    IServiceProvider services,
    ILogger<RegistryStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        data.EnsureCreated();
        var swept = Core.Artifacts.LeftoverSweep.Sweep(data);
        if (swept.Count > 0)
        {
            // Before any job starts here, so nothing removed is still being written by this process.
            logger.LogInformation("Removed {Count} half-written folder(s) or file(s) a stopped process left in {DataDirectory}: {Paths}",
                swept.Count, data.Root, string.Join(", ", swept.Take(10).Select(data.Relative)) + (swept.Count > 10 ? ", …" : string.Empty));
        }

        var wait = TimeSpan.FromSeconds(storage.Value.StartupWaitSeconds);
        try
        {
            await RegistryDatabase.MigrateAsync(contexts, wait, logger, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException e) when (storage.Value.IsPostgres)
        {
            var target = new Npgsql.NpgsqlConnectionStringBuilder(storage.Value.ConnectionString);
            throw new InvalidOperationException(
                $"The registry database {target.Database} on {target.Host}:{target.Port} did not answer within {wait.TotalSeconds:0} s ({e.Message}). " +
                $"Check {StorageOptions.Section}:ConnectionString (LYNQ_DB), or wait longer with {StorageOptions.Section}:StartupWaitSeconds.", e);
        }
        if (durability.JobsSurviveRestart)
        {
            // Hangfire creates its own schema on first use; do it here, once the database answers, so the job server
            // and the first enqueue do not each race to do it.
            _ = services.GetService<JobStorage>();
            logger.LogInformation("Data directory {DataDirectory}; registry and jobs on PostgreSQL (schemas {Schema}, {JobsSchema})",
                data.Root, storage.Value.Schema, storage.Value.JobsSchema);
            return;
        }

        var interrupted = await registry.MarkInterruptedAsync("The dashboard stopped while this was running; retry it.", cancellationToken).ConfigureAwait(false);
        interrupted += await promotions.MarkPromotionsInterruptedAsync("The dashboard stopped during this; the pointer is where the last completed step left it. Retry it.", cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Data directory {DataDirectory}; {Interrupted} unfinished run(s) marked interrupted", data.Root, interrupted);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
